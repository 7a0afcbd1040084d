/// Why a command failed: every case renders to one line that names what was wrong,
/// what is allowed and what to try next.
public enum ShellError: Error, CustomStringConvertible {
    /// A word that is not a command.
    case unknownCommand(String, suggestion: String?)
    /// A flag the command does not take.
    case unknownFlag(String, command: CommandSpec)
    /// Arguments that do not fit the command's usage.
    case usage(String, command: CommandSpec)
    /// The cluster refused (Kafka's error name and message).
    case kafka(KafkaErrorDescription)
    /// Any other failure, already phrased for the learner.
    case failed(String)
    /// Output a Kafka tool prints before failing, in the tool's own format.
    case toolFailure([String])

    public var description: String {
        switch self {
        case .unknownCommand(let word, let suggestion):
            let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
            return "Unknown command '\(word)'.\(hint) Type 'help' to list commands."
        case .unknownFlag(let flag, let command):
            let names = command.flags.map { "--\($0.name)" } + command.flags.compactMap { $0.short.map { "-\($0)" } }
            let hint = Suggestion.didYouMean(flag, in: names)
            return "Unknown option '\(flag)' for '\(command.displayName)'.\(hint) See 'help \(command.displayName)'."
        case .usage(let message, let command):
            return "\(message) Usage: \(command.usage)"
        case .kafka(let error):
            return "\(error.message) (\(error.name))"
        case .failed(let message):
            return message
        case .toolFailure(let lines):
            return lines.joined(separator: "\n")
        }
    }

    /// The message in the session's language: Korean for the errors a learner meets most
    /// (an unknown command or option, a usage mistake); Kafka's own texts stay as Kafka prints them.
    public func description(lang: String) -> String {
        guard lang == "ko" else { return description }
        switch self {
        case .unknownCommand(let word, let suggestion):
            let hint = suggestion.map { " '\($0)'" + KoreanParticle.eulReul.form(after: $0) + " 말한 건가?" } ?? ""
            return "알 수 없는 명령 '\(word)'.\(hint) 'help'를 입력하면 명령 목록이 나온다."
        case .unknownFlag(let flag, let command):
            let names = command.flags.map { "--\($0.name)" } + command.flags.compactMap { $0.short.map { "-\($0)" } }
            let hint = Suggestion.closest(to: flag, in: names).map { " '\($0)'" + KoreanParticle.eulReul.form(after: $0) + " 말한 건가?" } ?? ""
            return "'\(command.displayName)'에는 '\(flag)' 옵션이 없다.\(hint) 'help \(command.displayName)'에서 옵션을 볼 수 있다."
        case .usage(let message, let command):
            return "\(message) 사용법: \(command.usage)"
        case .kafka, .failed, .toolFailure:
            return description
        }
    }
}

/// A Kafka error carried into the shell: its protocol name and message.
public struct KafkaErrorDescription: Sendable {
    public let name: String
    public let message: String
}

import KafkaModel

extension ShellError {
    /// Wraps a cluster error.
    public init(_ error: KafkaError) {
        // A Java client exception is shown as the client prints it, `class: message`.
        if case .transactionalClient(let exception) = error { self = .failed(exception.description); return }
        self = .kafka(KafkaErrorDescription(name: error.errorName, message: error.message))
    }
}
