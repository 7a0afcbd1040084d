import KafkaShell

/// Lesson mode: the lesson in progress, its current step and the hints shown. Its commands
/// (`lesson …`, `next`, `back`, `hint`, `solution`, `check`) run through `Session.execute`
/// like any other; the learner types anything in between, and `check` judges the state.
public final class LessonEngine {
    public let library: LessonLibrary
    public let progress: LessonProgress
    public private(set) var lesson: Lesson?
    public private(set) var stepIndex = 0
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

    func start(_ lesson: Lesson, in session: Session, atStep: Int? = nil) -> Output {
        session.reset(brokers: lesson.brokers, seed: lesson.seed)
        self.lesson = lesson
        stepIndex = min(max(atStep ?? 0, 0), lesson.steps.count - 1)
        hintsShown = [:]
        progress.update(lesson.id) { $0.step = self.stepIndex }
        let text = LessonText(lang: lesson.lang)
        var output = Output([text.started(lesson.id, brokers: lesson.brokers)])
        if stepIndex > 0 {
            // Later tasks build on earlier ones: rebuild the cluster the earlier steps made.
            for step in lesson.steps[..<stepIndex] {
                for block in step.blocks {
                    if case .transcript(let transcript) = block {
                        for item in transcript.items { _ = session.executeAndRender(item.command, input: item.input) }
                    }
                }
                for command in step.solution { _ = session.executeAndRender(command) }
            }
            output.append(text.resumed(at: stepIndex + 1))
        }
        output.append("")
        output.lines += showStep().lines
        return output
    }

    func showStep() -> Output {
        guard let lesson, let step else { return Output() }
        var output = Output()
        let rendered = TerminalMarkdown.render(step, number: stepIndex + 1, of: lesson.steps.count, lessonTitle: lesson.title, lang: lesson.lang)
        output.append(rendered[0], style: .heading)
        output.append(lines: Array(rendered.dropFirst()))
        return output
    }

    func move(by delta: Int) throws(ShellError) -> Output {
        guard let lesson else { throw Self.noLesson }
        let target = stepIndex + delta
        let text = LessonText(lang: lesson.lang)
        guard target >= 0 else { throw .failed(text.firstStep(lesson.id)) }
        guard target < lesson.steps.count else {
            throw .failed(text.lastStep(lesson.id))
        }
        stepIndex = target
        progress.update(lesson.id) { $0.step = target }
        return showStep()
    }

    func hint() throws(ShellError) -> Output {
        guard let lesson, let step else { throw Self.noLesson }
        let text = LessonText(lang: lesson.lang)
        guard !step.hints.isEmpty else { throw .failed(text.noHints(stepIndex + 1, lesson.id)) }
        let shown = hintsShown[stepIndex, default: 0]
        let index = min(shown, step.hints.count - 1)
        hintsShown[stepIndex] = shown + 1
        var output = Output([text.hint(index + 1, of: step.hints.count)])
        output.lines += TerminalMarkdown.prose(step.hints[index]).map { Output.Line("  " + $0) }
        if index == step.hints.count - 1 && shown >= step.hints.count - 1 && step.hints.count > 1 {
            output.append(text.lastHint)
        }
        return output
    }

    func check(in session: Session) throws(ShellError) -> Output {
        guard let lesson, let step else { throw Self.noLesson }
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
                output.lines += TerminalMarkdown.prose(first).map { Output.Line("  " + $0) }
                hintsShown[stepIndex] = max(hintsShown[stepIndex, default: 0], 1)
            }
            return output
        }
        let passedIndex = stepIndex
        let isLast = stepIndex == lesson.steps.count - 1
        let remainingTasks = lesson.steps.indices.filter { lesson.steps[$0].isTask && $0 > stepIndex }
        progress.update(lesson.id) { entry in
            if !entry.passedSteps.contains(passedIndex) { entry.passedSteps.append(passedIndex); entry.passedSteps.sort() }
            let allTasks = lesson.steps.indices.filter { lesson.steps[$0].isTask }
            entry.done = allTasks.allSatisfy { entry.passedSteps.contains($0) }
        }
        output.append(text.passed(passedIndex + 1), style: .success)
        if isLast || (remainingTasks.isEmpty && progress.entry(lesson.id)?.done == true && isLast) {
            output.append(progress.entry(lesson.id)?.done == true ? text.complete(lesson.id) : text.stepsLeft(unpassedSteps(lesson)))
            return output
        }
        stepIndex += 1
        progress.update(lesson.id) { $0.step = self.stepIndex }
        output.append("")
        output.lines += showStep().lines
        return output
    }

    private func unpassedSteps(_ lesson: Lesson) -> String {
        let passed = progress.entry(lesson.id)?.passedSteps ?? []
        return lesson.steps.indices.filter { lesson.steps[$0].isTask && !passed.contains($0) }.map { String($0 + 1) }.joined(separator: ", ")
    }

    func quit() throws(ShellError) -> Output {
        guard let lesson else { throw Self.noLesson }
        self.lesson = nil
        stepIndex = 0
        return Output(["Left lesson '\(lesson.id)'. The cluster stays as it is; 'lesson start \(lesson.id)' resumes at step \((progress.entry(lesson.id)?.step ?? 0) + 1)."])
    }

    static let noLesson = ShellError.failed("No lesson in progress. Type 'lesson list', then 'lesson start ID'.")
}
