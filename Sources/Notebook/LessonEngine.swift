import KafkaShell

/// Lesson mode: the lesson in progress, its current step and the hints shown. Its commands
/// (`lesson …`, `next`, `back`, `hint`, `solution`, `check`) run through `Session.execute`
/// like any other; the learner types anything in between, and `check` judges the state.
public final class LessonEngine {
    public let library: LessonLibrary
    public let progress: LessonProgress
    public private(set) var lesson: Lesson?
    public private(set) var stepIndex = 0
    /// Plays the current lesson's steps on the session (the same player `kafkalab run` uses).
    public private(set) var player: LessonPlayer?
    private var hintsShown: [Int: Int] = [:]

    static let attachmentKey = "lessons"

    public init(library: LessonLibrary, progress: LessonProgress) {
        self.library = library
        self.progress = progress
    }

    /// Installs the engine and its commands into `session`, and its state under `lesson` in the state tree.
    public func install(into session: Session) {
        session.attachments[Self.attachmentKey] = self
        session.install(LessonCommands.all)
        session.stateProviders["lesson"] = { session in
            guard let engine = LessonEngine.of(session), let lesson = engine.lesson else { return .null }
            return .object([
                ("id", .string(lesson.id)), ("title", .string(lesson.title)),
                ("step", .int(engine.stepIndex + 1)), ("steps", .int(lesson.steps.count)),
                ("stepTitle", .string(lesson.steps[engine.stepIndex].title)),
                ("passedSteps", .ints((engine.progress.entry(lesson.id)?.passedSteps ?? []).map { $0 + 1 })),
            ])
        }
    }

    static func of(_ session: Session) -> LessonEngine? {
        session.attachments[attachmentKey] as? LessonEngine
    }

    var step: Lesson.Step? { lesson.map { $0.steps[stepIndex] } }

    func find(_ id: String) throws(ShellError) -> Lesson {
        let lessons = library.lessons()
        if let found = lessons.first(where: { $0.id == id }) { return found }
        if let number = Int(id), (1...lessons.count).contains(number) { return lessons[number - 1] }
        guard !lessons.isEmpty else {
            throw .failed("No lessons found\(library.root.map { " in \($0)" } ?? ""). Give a folder with --lessons DIR.")
        }
        let ids = lessons.map(\.id)
        throw .failed("Unknown lesson '\(id)'.\(Suggestion.didYouMean(id, in: ids)) Lessons: \(ids.joined(separator: ", ")). See 'lesson list'.")
    }

    /// Starts `lesson` on a fresh cluster. Resuming at a later step replays the earlier steps
    /// through the player (their examples and solutions), exactly as `kafkalab run` plays them.
    func start(_ lesson: Lesson, in session: Session, atStep: Int? = nil) -> Output {
        let player = LessonPlayer(lesson: lesson, session: session)
        self.lesson = lesson
        self.player = player
        session.lang = lesson.lang
        stepIndex = min(max(atStep ?? 0, 0), lesson.steps.count - 1)
        hintsShown = [:]
        player.rebuild(upTo: stepIndex)
        progress.update(lesson.id) { $0.step = self.stepIndex }
        let text = LessonText(lang: lesson.lang)
        var output = Output([text.started(lesson.id, brokers: session.cluster.brokers.count)])
        if stepIndex > 0 { output.append(text.resumed(at: stepIndex + 1)) }
        output.append(text.banner)
        output.append("")
        output.lines += enterStep().lines
        return output
    }

    /// `lesson retry`: the cluster as it was when the current step began.
    func retry(in session: Session) throws(ShellError) -> Output {
        guard let lesson, let player else { throw noLesson(session) }
        let text = LessonText(lang: lesson.lang)
        player.rebuild(upTo: stepIndex)
        hintsShown[stepIndex] = nil
        var output = Output([text.retried(stepIndex + 1), ""])
        output.lines += enterStep().lines
        return output
    }

    /// Shows the current step, running its worked examples first if this is its first showing.
    private func enterStep() -> Output {
        player?.enter(stepIndex)
        return showStep()
    }

    func showStep() -> Output {
        guard let lesson, let step, let player else { return Output() }
        let text = LessonText(lang: lesson.lang)
        let index = stepIndex
        var output = Output()
        output.lines += TerminalMarkdown.header(text.stepHeader(lesson.title, index + 1, lesson.steps.count, step.title))
        output.lines += TerminalMarkdown.blocks(step, step.introBlockIndices) { player.runs(step: index, block: $0) }
        if step.isTask {
            output.append("")
            output.append(text.whenDone(hints: step.hints.count))
        } else {
            output.append("")
            output.append(index < lesson.steps.count - 1 ? text.typeNext : completion(lesson))
        }
        return output
    }

    /// What follows the current step's task, run now if it has not run yet.
    private func finishStep() -> [Output.Line] {
        guard let step, let player else { return [] }
        let index = stepIndex
        player.finish(index)
        return TerminalMarkdown.blocks(step, step.aftermathBlockIndices) { player.runs(step: index, block: $0) }
    }

    func move(by delta: Int, in session: Session) throws(ShellError) -> Output {
        guard let lesson else { throw noLesson(session) }
        let target = stepIndex + delta
        let text = LessonText(lang: lesson.lang)
        guard target >= 0 else { throw .failed(text.firstStep(lesson.id)) }
        guard target < lesson.steps.count else {
            throw .failed(text.lastStep(lesson.id))
        }
        var output = Output()
        if delta > 0, let step, step.isTask {
            // Moving on from a task: what the lesson does after it still happens, so later steps find it.
            if progress.entry(lesson.id)?.passedSteps.contains(stepIndex) != true {
                output.append(text.notPassedYet(stepIndex + 1), style: .warning)
            }
            let after = finishStep()
            if !after.isEmpty {
                output.lines += after
                output.append("")
            }
        }
        stepIndex = target
        progress.update(lesson.id) { $0.step = target }
        output.lines += enterStep().lines
        return output
    }

    func hint(in session: Session) throws(ShellError) -> Output {
        guard let lesson, let step else { throw noLesson(session) }
        let text = LessonText(lang: lesson.lang)
        guard !step.hints.isEmpty else { throw .failed(text.noHints(stepIndex + 1, lesson.id)) }
        let shown = hintsShown[stepIndex, default: 0]
        let index = min(shown, step.hints.count - 1)
        hintsShown[stepIndex] = shown + 1
        var output = Output([text.hint(index + 1, of: step.hints.count)])
        output.lines += TerminalMarkdown.prose(step.hints[index]).map { Output.Line("  " + $0.text, styled: $0.styled.map { "  " + $0 }) }
        if index == step.hints.count - 1 && shown >= step.hints.count - 1 && step.hints.count > 1 {
            output.append(text.lastHint)
        }
        return output
    }

    func check(in session: Session) throws(ShellError) -> Output {
        guard let lesson, let step else { throw noLesson(session) }
        let text = LessonText(lang: lesson.lang)
        guard step.isTask else {
            throw .failed(text.nothingToCheck(stepIndex + 1))
        }
        var output = Output()
        var failed = false
        for (expression, _) in step.checks {
            let result = session.check(expression)
            output.lines += result.lines
            failed = failed || result.failed
        }
        if failed {
            output.failed = true
            if let first = step.hints.first {
                output.append(text.hintHeading)
                output.lines += TerminalMarkdown.prose(first).map { Output.Line("  " + $0.text, styled: $0.styled.map { "  " + $0 }) }
                hintsShown[stepIndex] = max(hintsShown[stepIndex, default: 0], 1)
            }
            output.append(text.retryTip)
            return output
        }
        let passedIndex = stepIndex
        progress.update(lesson.id) { entry in
            if !entry.passedSteps.contains(passedIndex) { entry.passedSteps.append(passedIndex); entry.passedSteps.sort() }
            let allTasks = lesson.steps.indices.filter { lesson.steps[$0].isTask }
            entry.done = allTasks.allSatisfy { entry.passedSteps.contains($0) }
        }
        output.append(text.passed(passedIndex + 1), style: .success)
        let after = finishStep()
        if !after.isEmpty {
            output.append("")
            output.lines += after
        }
        output.append("")
        output.append(stepIndex == lesson.steps.count - 1 ? completion(lesson) : text.typeNext)
        return output
    }

    /// The end of a lesson: complete (with the next lesson to take), or the tasks still to pass.
    private func completion(_ lesson: Lesson) -> String {
        let text = LessonText(lang: lesson.lang)
        guard progress.entry(lesson.id)?.done == true || !lesson.steps.contains(where: \.isTask) else {
            return text.stepsLeft(unpassedSteps(lesson))
        }
        if lesson.steps.contains(where: \.isTask) == false {
            progress.update(lesson.id) { $0.done = true }
        }
        return text.complete(lesson.id, next: nextLesson(after: lesson).map { ($0.id, $0.title) })
    }

    /// The next unfinished lesson, in the library's order, starting after `lesson`.
    func nextLesson(after lesson: Lesson?) -> Lesson? {
        let lessons = library.lessons()
        let start = lesson.flatMap { current in lessons.firstIndex { $0.id == current.id } }.map { $0 + 1 } ?? 0
        let ordered = Array(lessons[start...]) + Array(lessons[..<start])
        return ordered.first { $0.id != lesson?.id && progress.entry($0.id)?.done != true }
    }

    private func unpassedSteps(_ lesson: Lesson) -> String {
        let passed = progress.entry(lesson.id)?.passedSteps ?? []
        return lesson.steps.indices.filter { lesson.steps[$0].isTask && !passed.contains($0) }.map { String($0 + 1) }.joined(separator: ", ")
    }

    func quit() throws(ShellError) -> Output {
        guard let lesson else { throw .failed(LessonText(lang: library.lang).noLesson) }
        self.lesson = nil
        player = nil
        stepIndex = 0
        return Output([LessonText(lang: lesson.lang).left(lesson.id, resumeAt: (progress.entry(lesson.id)?.step ?? 0) + 1)])
    }

    /// "No lesson in progress", in the shell's language.
    func noLesson(_ session: Session) -> ShellError {
        .failed(LessonText(lang: session.lang).noLesson)
    }
}
