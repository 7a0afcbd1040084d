/// Korean particles that follow the word before them: 을/를, 이/가, 은/는, 과/와 by whether
/// the word ends in a consonant (batchim), and 으로/로, where a final ㄹ takes 로.
/// `'committing'` ends in the sound "ng", so it takes 을: `'committing'을`, not `'committing'을(를)`.
public enum KoreanParticle: Sendable {
    case eulReul, iGa, eunNeun, gwaWa, euroRo

    /// `word` followed by this particle, chosen by the word's last sound.
    public func after(_ word: String) -> String {
        word + form(after: word)
    }

    /// The particle alone, as it follows `word`.
    public func form(after word: String) -> String {
        let ending = Self.ending(of: word)
        switch self {
        case .eulReul: return ending.hasBatchim ? "을" : "를"
        case .iGa: return ending.hasBatchim ? "이" : "가"
        case .eunNeun: return ending.hasBatchim ? "은" : "는"
        case .gwaWa: return ending.hasBatchim ? "과" : "와"
        case .euroRo: return ending.hasBatchim && !ending.isRieul ? "으로" : "로"
        }
    }

    struct Ending {
        var hasBatchim: Bool
        var isRieul: Bool
    }

    /// The last sound of a word: a Hangul syllable's final consonant, or, for a Latin word or a
    /// number, how it is read aloud in Korean (`c1` is "씨일", ending in ㄹ; `orders` ends in "스").
    static func ending(of word: String) -> Ending {
        let trimmed = word.unicodeScalars.reversed().drop { !(CharacterSetLike.isLetterOrDigit($0)) }
        guard let last = trimmed.first else { return Ending(hasBatchim: false, isRieul: false) }
        let value = last.value
        if (0xAC00...0xD7A3).contains(value) {
            let final = (value - 0xAC00) % 28
            return Ending(hasBatchim: final != 0, isRieul: final == 8)
        }
        let lowered = String(String(trimmed.prefix(3).reversed().map(Character.init)).lowercased())
        switch last {
        case "0", "3", "6": return Ending(hasBatchim: true, isRieul: false)  // 영, 삼, 육
        case "1", "7", "8": return Ending(hasBatchim: true, isRieul: true)  // 일, 칠, 팔
        case "2", "4", "5", "9": return Ending(hasBatchim: false, isRieul: false)  // 이, 사, 오, 구
        default: break
        }
        // Loanwords read with a final 으-syllable: check is 체크, so 'check'를.
        if lowered.hasSuffix("eck") && String(word.lowercased().unicodeScalars.filter { CharacterSetLike.isLetterOrDigit($0) }.map(Character.init)).hasSuffix("check") {
            return Ending(hasBatchim: false, isRieul: false)
        }
        let letter = Character(last).lowercased()
        switch letter {
        case "l": return Ending(hasBatchim: true, isRieul: true)
        case "m", "n", "b", "k", "p", "t", "d", "c", "q":
            return Ending(hasBatchim: true, isRieul: false)
        case "g":
            // -ng and -g end in a consonant; a silent-ish -ge (page) does not reach here.
            return Ending(hasBatchim: true, isRieul: false)
        case "e":
            // -le (table) is read with ㄹ; other final e's are vowels.
            return lowered.hasSuffix("le") ? Ending(hasBatchim: true, isRieul: true) : Ending(hasBatchim: false, isRieul: false)
        default:
            return Ending(hasBatchim: false, isRieul: false)
        }
    }
}

/// Letter and digit tests on scalars without Foundation.
enum CharacterSetLike {
    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }
}
