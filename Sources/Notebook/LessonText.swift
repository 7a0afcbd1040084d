/// The lesson engine's own sentences, in the lesson's language (English or Korean), so a
/// Korean lesson does not switch to English between its paragraphs.
struct LessonText {
    let korean: Bool

    init(lang: String) {
        korean = lang == "ko"
    }

    func started(_ id: String, brokers: Int) -> String {
        korean ? "새 클러스터(브로커 \(brokers)대)에서 레슨 '\(id)'을(를) 시작했다."
            : "Started lesson '\(id)' on a fresh cluster of \(brokers) broker\(brokers == 1 ? "" : "s")."
    }

    func resumed(at step: Int) -> String {
        korean ? "\(step)단계부터 이어서 한다: 1–\(step - 1)단계의 예제와 정답을 다시 실행해 클러스터를 복원했다."
            : "Resumed at step \(step): the examples and solutions of steps 1–\(step - 1) were replayed to rebuild the cluster."
    }

    func stepHeader(_ lesson: String, _ number: Int, _ total: Int, _ title: String) -> String {
        korean ? "[\(lesson) — \(number)/\(total)단계] \(title)" : "[\(lesson) — step \(number) of \(total)] \(title)"
    }

    var typeNext: String { korean ? "계속하려면 'next'를 입력하자." : "Type 'next' to continue." }

    func whenDone(hints: Int) -> String {
        if hints == 0 {
            return korean ? "다 했으면 'check'를 입력하자. ('solution'은 정답 예시를 보여 준다.)"
                : "When you are done, type 'check'. ('solution' shows an answer.)"
        }
        return korean ? "다 했으면 'check'를 입력하자. 막히면 'hint'(\(hints)개) 또는 'solution'."
            : "When you are done, type 'check'. Stuck? 'hint' (\(hints) available), or 'solution'."
    }

    func firstStep(_ id: String) -> String {
        korean ? "'\(id)'의 첫 단계다. 'next'로 넘어가자." : "This is the first step of '\(id)'. Type 'next' to go on."
    }

    func lastStep(_ id: String) -> String {
        korean ? "'\(id)'의 마지막 단계다. 'lesson list'로 다른 레슨을 고르거나 'lesson quit'으로 나가자."
            : "This is the last step of '\(id)'. Type 'lesson list' to pick another lesson, or 'lesson quit'."
    }

    func noHints(_ step: Int, _ id: String) -> String {
        korean ? "'\(id)'의 \(step)단계에는 힌트가 없다. 'solution'을 써 보자." : "Step \(step) of '\(id)' has no hints. Try 'solution'."
    }

    func hint(_ number: Int, of total: Int) -> String { korean ? "힌트 \(number)/\(total):" : "Hint \(number) of \(total):" }
    var lastHint: String { korean ? "(마지막 힌트였다. 'solution'이 정답 예시를 보여 준다.)" : "(That was the last hint. 'solution' shows an answer.)" }
    var hintHeading: String { korean ? "힌트:" : "Hint:" }

    func nothingToCheck(_ step: Int) -> String {
        korean ? "\(step)단계에는 검사할 것이 없다. 'next'로 넘어가자." : "Step \(step) has nothing to check. Type 'next' to continue."
    }

    func passed(_ step: Int) -> String {
        korean ? "\(step)단계 통과: 위의 검사를 모두 만족했다." : "Step \(step) passed: every check above holds."
    }

    func complete(_ id: String) -> String {
        korean ? "레슨 '\(id)' 완료! 'lesson list'로 다음 레슨을 고르자." : "Lesson '\(id)' complete. Type 'lesson list' for the next one."
    }

    func stepsLeft(_ list: String) -> String {
        korean ? "마지막 단계였다. 아직 통과하지 못한 단계: \(list)." : "That was the last step. Steps still to pass: \(list)."
    }

    func noSolution(_ step: Int, _ id: String) -> String {
        korean ? "'\(id)'의 \(step)단계에는 보여 줄 정답이 없다." : "Step \(step) of '\(id)' has no solution to show."
    }

    var oneSolution: String { korean ? "정답 예시:" : "One solution:" }
    var typeItYourself: String {
        korean ? "직접 입력하거나 'solution --run'으로 실행하자." : "Type it yourself, or 'solution --run' to run it."
    }
}
