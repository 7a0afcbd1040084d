/// ISO-8601 rendering of simulated instants, computed without Foundation's calendar so
/// it is fast and independent of the machine's time zone.
public enum Timestamp {
    /// `2024-01-01T00:00:05.000Z`.
    public static func iso8601(_ ms: Int64) -> String {
        let (date, millis) = civil(ms)
        return "\(date)T\(time(ms))." + pad(Int(millis), 3) + "Z"
    }

    /// `2024-01-01 00:00:05` (seconds precision), for compact listings.
    public static func short(_ ms: Int64) -> String {
        "\(civil(ms).date) \(time(ms))"
    }

    /// `00:00:05.000` within the day.
    public static func timeOfDay(_ ms: Int64) -> String {
        time(ms) + "." + pad(Int(((ms % 1000) + 1000) % 1000), 3)
    }

    private static func time(_ ms: Int64) -> String {
        let secondsOfDay = Int(((ms / 1000) % 86_400 + 86_400) % 86_400)
        return pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":" + pad(secondsOfDay % 60, 2)
    }

    private static func civil(_ ms: Int64) -> (date: String, millis: Int64) {
        let days = Int(floorDiv(ms, 86_400_000))
        // Howard Hinnant's days-from-civil inverse.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2), ((ms % 1000) + 1000) % 1000)
    }

    /// Milliseconds since the epoch for a civil date and time (UTC).
    public static func epochMs(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millis: Int = 0) -> Int64 {
        let days = KafkaDateTime.daysFromCivil(Int64(year), Int64(month), Int64(day))
        return ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1000 + Int64(millis)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
