import KafkaShell

/// The lesson engine's own sentences, in the lesson's language (English or Korean), so a
/// Korean lesson does not switch to English between its paragraphs.
struct LessonText {
    let korean: Bool

    /// `'id'` with the particle its last sound takes.
    private func quoted(_ id: String, _ particle: KoreanParticle) -> String {
        particle.after("'\(id)'")
    }

    init(lang: String) {
        korean = lang == "ko"
    }

    func started(_ id: String, brokers: Int) -> String {
        korean ? "새 클러스터(브로커 \(brokers)대)에서 레슨 \(quoted(id, .eulReul)) 시작했다."
            : "Started lesson '\(id)' on a fresh cluster of \(brokers) broker\(brokers == 1 ? "" : "s")."
    }

    func resumed(at step: Int) -> String {
        korean ? "\(step)단계부터 이어서 한다: \(stepRange(step))단계를 예제와 정답대로 다시 실행해 클러스터를 복원했다."
            : "Resumed at step \(step): steps \(stepRange(step)) were replayed (their examples and solutions) to rebuild the cluster."
    }

    private func stepRange(_ step: Int) -> String { step == 2 ? "1" : "1–\(step - 1)" }

    func retried(_ step: Int) -> String {
        if step == 1 {
            return korean ? "클러스터를 1단계 시작 때처럼 새로 만들었다." : "The cluster is fresh again, as at the start of step 1."
        }
        return korean ? "클러스터를 \(step)단계 시작 때로 되돌렸다: \(stepRange(step))단계를 예제와 정답대로 다시 실행했다."
            : "The cluster is back as at the start of step \(step): steps \(stepRange(step)) were replayed with their examples and solutions."
    }

    var retryTip: String {
        korean ? "클러스터가 되돌릴 수 없게 꼬였다면 'lesson retry'가 이 단계 시작 때의 클러스터로 되돌린다."
            : "If the cluster went wrong beyond repair, 'lesson retry' rebuilds it as it was at the start of this step."
    }

    func notPassedYet(_ step: Int) -> String {
        korean ? "(\(step)단계는 아직 통과하지 않았다: 나중 단계가 그 결과를 쓸 수 있다. 'back'으로 돌아갈 수 있다.)"
            : "(Step \(step) is not passed yet; later steps may build on it. 'back' returns to it.)"
    }

    var afterTask: String { korean ? "이어서:" : "What happens next:" }

    func stepHeader(_ lesson: String, _ number: Int, _ total: Int, _ title: String) -> String {
        korean ? "[\(lesson) — \(number)/\(total)단계] \(title)" : "[\(lesson) — step \(number) of \(total)] \(title)"
    }

    var typeNext: String { korean ? "계속하려면 'next'를 입력하자." : "Type 'next' to continue." }

    var banner: String {
        korean ? "레슨 중에는 아무 명령이나 입력해도 된다. 'lesson show'는 이 단계를 다시 보여 준다."
            : "Type any command along the way; 'lesson show' shows this step again."
    }

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

    func complete(_ id: String, next: (id: String, title: String)?) -> String {
        guard let next else {
            return korean ? "레슨 '\(id)' 완료! 모든 레슨을 마쳤다. 'lesson list'에서 진행 상황을 볼 수 있다."
                : "Lesson '\(id)' complete. That was the last lesson you had left: 'lesson list' shows them all."
        }
        return korean ? "레슨 '\(id)' 완료! 다음 레슨: \(next.title) — 'lesson start \(next.id)'."
            : "Lesson '\(id)' complete. Next lesson: \(next.title) — type 'lesson start \(next.id)'."
    }

    func startNext(_ id: String) -> String {
        korean ? "다음 레슨: lesson start \(id)" : "Next: lesson start \(id)"
    }

    var allDone: String {
        korean ? "모든 레슨을 마쳤다. 'lesson reset ID'로 다시 할 수 있다." : "Every lesson is done. 'lesson reset ID' lets you take one again."
    }

    var listHeaders: [String] { korean ? ["#", "ID", "제목", "진행"] : ["#", "ID", "TITLE", "PROGRESS"] }
    var done: String { korean ? "완료" : "done" }
    func inProgress(_ step: Int, of total: Int) -> String {
        korean ? "진행 중 (\(total)단계 중 \(step)단계)" : "in progress (step \(step) of \(total))"
    }

    func left(_ id: String, resumeAt step: Int) -> String {
        korean ? "레슨 \(quoted(id, .eulReul)) 나왔다. 클러스터는 그대로다. 'lesson start \(id)'로 \(step)단계부터 이어서 할 수 있다."
            : "Left lesson '\(id)'. The cluster stays as it is; 'lesson start \(id)' resumes at step \(step)."
    }

    var noLesson: String {
        korean ? "진행 중인 레슨이 없다. 'lesson list'를 입력한 뒤 'lesson start ID'." : "No lesson in progress. Type 'lesson list', then 'lesson start ID'."
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
