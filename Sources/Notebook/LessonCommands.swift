import KafkaShell

/// The commands of lesson mode.
enum LessonCommands {
    static let all: [Command] = [list, start, show, retry, reset, quit, next, back, hint, solution, check]

    private static func engine(_ session: Session) throws(ShellError) -> LessonEngine {
        guard let engine = LessonEngine.of(session) else { throw .failed("Lessons are not available in this session.") }
        return engine
    }

    static let list = Command(
        CommandSpec("lesson list", group: .lessons, abstract: "List lessons with your progress", examples: ["lesson list"])
    ) { _, session throws(ShellError) in
        let engine = try engine(session)
        let lessons = engine.library.lessons()
        guard !lessons.isEmpty else {
            throw .failed("No lessons found\(engine.library.root.map { " in \($0)" } ?? ""). Give a folder with --lessons DIR.")
        }
        let text = LessonText(lang: engine.library.lang)
        var table = Table(text.listHeaders)
        for (index, lesson) in lessons.enumerated() {
            let entry = engine.progress.entry(lesson.id)
            let status: String
            if entry?.done == true { status = text.done }
            else if let entry { status = text.inProgress(entry.step + 1, of: lesson.steps.count) }
            else { status = "-" }
            table.add([String(index + 1), lesson.id, lesson.title, status])
        }
        var output = Output(table.render().map { $0.trimmingCharacters(in: " ") })
        // The lesson after the one in progress (or the last one touched), else the first not done.
        if let next = engine.nextLesson(after: engine.lesson) {
            output.append(text.startNext(next.id))
        } else {
            output.append(text.allDone)
        }
        return output
    }

    static let start = Command(
        CommandSpec(
            "lesson start", group: .lessons, abstract: "Start (or resume) a lesson on a fresh cluster",
            discussion: "The cluster is replaced by a fresh one shaped as the lesson says. A lesson you left resumes at its step;\n--from-start begins again at step 1.",
            flags: [FlagSpec("from-start", help: "begin at step 1 even if you got further before")],
            positionals: [PositionalSpec("ID", help: "the lesson's id or number from 'lesson list'")],
            examples: ["lesson start topics-partitions-brokers", "lesson start 1"],
            positionalCompletion: .lesson)
    ) { arguments, session throws(ShellError) in
        let engine = try engine(session)
        let lesson = try engine.find(arguments.positionals[0])
        let resumeAt = arguments.has("from-start") ? 0 : engine.progress.entry(lesson.id)?.step
        return engine.start(lesson, in: session, atStep: resumeAt)
    }

    static let show = Command(
        CommandSpec("lesson show", group: .lessons, abstract: "Show the current step again", examples: ["lesson show"])
    ) { _, session throws(ShellError) in
        let engine = try engine(session)
        guard engine.lesson != nil else { throw engine.noLesson(session) }
        return engine.showStep()
    }

    static let retry = Command(
        CommandSpec(
            "lesson retry", group: .lessons, abstract: "Rebuild the cluster as it was at the start of this step",
            discussion: "For a task that went wrong beyond repair (records sent in the wrong order cannot be taken back):\na fresh cluster, the earlier steps replayed with their examples and solutions, this step shown again.",
            examples: ["lesson retry"])
    ) { _, session throws(ShellError) in
        try engine(session).retry(in: session)
    }

    static let reset = Command(
        CommandSpec(
            "lesson reset", group: .lessons, abstract: "Forget a lesson's progress (and restart it if it is the current one)",
            positionals: [PositionalSpec("ID", optional: true, help: "the lesson; the current one when omitted")],
            examples: ["lesson reset", "lesson reset topics-partitions-brokers"], positionalCompletion: .lesson)
    ) { arguments, session throws(ShellError) in
        let engine = try engine(session)
        let lesson: Lesson
        if let id = arguments.positional(0) {
            lesson = try engine.find(id)
        } else {
            guard let current = engine.lesson else { throw .failed("Name the lesson to reset: lesson reset ID (see 'lesson list').") }
            lesson = current
        }
        engine.progress.reset(lesson.id)
        if engine.lesson?.id == lesson.id {
            var output = Output(["Progress of '\(lesson.id)' forgotten; starting again.", ""])
            output.lines += engine.start(lesson, in: session, atStep: 0).lines
            return output
        }
        return Output(["Progress of '\(lesson.id)' forgotten."])
    }

    static let quit = Command(
        CommandSpec("lesson quit", group: .lessons, abstract: "Leave the lesson (the cluster stays)", examples: ["lesson quit"])
    ) { _, session throws(ShellError) in
        try engine(session).quit()
    }

    static let next = Command(
        CommandSpec("next", group: .lessons, abstract: "Go to the lesson's next step", examples: ["next"])
    ) { _, session throws(ShellError) in
        try engine(session).move(by: 1, in: session)
    }

    static let back = Command(
        CommandSpec("back", group: .lessons, abstract: "Go back to the lesson's previous step", examples: ["back"])
    ) { _, session throws(ShellError) in
        try engine(session).move(by: -1, in: session)
    }

    static let hint = Command(
        CommandSpec("hint", group: .lessons, abstract: "Show the next hint for this step", examples: ["hint"])
    ) { _, session throws(ShellError) in
        try engine(session).hint(in: session)
    }

    static let solution = Command(
        CommandSpec(
            "solution", group: .lessons, abstract: "Show an answer to this step's task (--run runs it)",
            flags: [FlagSpec("run", help: "run the solution's commands now, then check")],
            examples: ["solution", "solution --run"])
    ) { arguments, session throws(ShellError) in
        let engine = try engine(session)
        guard let lesson = engine.lesson, let step = engine.step else { throw engine.noLesson(session) }
        let text = LessonText(lang: lesson.lang)
        guard !step.solution.isEmpty else { throw .failed(text.noSolution(engine.stepIndex + 1, lesson.id)) }
        guard arguments.has("run") else {
            return Output([text.oneSolution] + step.solution.map { "  kafka> " + $0 } + [text.typeItYourself])
        }
        var output = Output()
        for command in step.solution {
            output.append("kafka> " + command)
            let result = session.executeAndRender(command)
            output.append(lines: result.lines)
        }
        output.lines += (try engine.check(in: session)).lines
        return output
    }

    static let check = Command(
        CommandSpec("check", group: .lessons, abstract: "Check your work on this step against the cluster's state", examples: ["check"])
    ) { _, session throws(ShellError) in
        try engine(session).check(in: session)
    }
}
