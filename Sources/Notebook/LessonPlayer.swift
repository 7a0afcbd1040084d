import KafkaShell

/// Plays a lesson on a session, step by step, the one way every driver uses: `lesson start`,
/// resuming, `lesson retry`, `kafkalab run` and the tests.
///
/// Entering a step runs the worked examples (` ```kafka ` transcripts) of its text on the
/// learner's cluster; finishing it (its task passed, or the learner moves on) runs the examples
/// that follow the task. Each example runs once: going back shows what it printed then.
public final class LessonPlayer {
    /// One worked-example command as it ran on the learner's cluster.
    public struct ExampleRun: Sendable {
        /// Index of the step and of the transcript block within the step.
        public let step: Int
        public let block: Int
        public let item: NotebookDocument.Item
        /// What it printed, rendered without colour, events included.
        public let actual: [String]
        /// What it printed with the session's colours (what the terminal shows).
        public let shown: [String]
        /// The notebook's expected output matched.
        public var matches: Bool
    }

    public let lesson: Lesson
    public let session: Session
    /// Steps whose introductory examples have run, and steps whose closing examples have run.
    public private(set) var entered: Set<Int> = []
    public private(set) var finished: Set<Int> = []
    /// Every example run so far, in order.
    public private(set) var runs: [ExampleRun] = []

    public init(lesson: Lesson, session: Session) {
        self.lesson = lesson
        self.session = session
    }

    /// Runs the step's introductory examples unless they ran already; returns the new runs.
    @discardableResult
    public func enter(_ step: Int) -> [ExampleRun] {
        guard lesson.steps.indices.contains(step), !entered.contains(step) else { return [] }
        entered.insert(step)
        return run(step, blocks: lesson.steps[step].introBlockIndices)
    }

    /// Runs the examples after the step's task unless they ran already; returns the new runs.
    @discardableResult
    public func finish(_ step: Int) -> [ExampleRun] {
        guard lesson.steps.indices.contains(step), !finished.contains(step) else { return [] }
        enter(step)
        finished.insert(step)
        return run(step, blocks: lesson.steps[step].aftermathBlockIndices)
    }

    /// The problems of replaying one step with its own solution: a solution command that failed,
    /// a check that did not hold.
    public struct ReplayProblem: Sendable {
        public let line: Int
        public let lines: [String]
        public let isCheck: Bool
    }

    /// Plays `step` as a learner who follows the lesson would: its examples, its solution as
    /// typed, its checks, then what follows the task. Used to rebuild earlier steps and by
    /// `kafkalab run`; the checks here are only judged, never recorded as progress.
    @discardableResult
    public func replay(_ step: Int, judge: Bool = true) -> [ReplayProblem] {
        enter(step)
        var problems: [ReplayProblem] = []
        let trusted = session.notebookInControl
        session.notebookInControl = true
        defer { session.notebookInControl = trusted }
        for block in lesson.steps[step].blocks {
            guard case .solution(let commands, _) = block else { continue }
            for (command, line) in commands {
                let (rendered, output) = session.executeAndRender(command)
                if output.failed {
                    problems.append(ReplayProblem(line: line, lines: ["solution command failed at line \(line): \(command)"] + rendered.map { "  " + $0 }, isCheck: false))
                }
            }
        }
        if judge {
            for (expression, line) in lesson.steps[step].checks {
                let output = session.check(expression)
                if output.failed {
                    problems.append(ReplayProblem(line: line, lines: ["check failed at line \(line): " + output.texts.joined(separator: " ")], isCheck: true))
                }
            }
        }
        finish(step)
        return problems
    }

    /// A fresh cluster as the lesson's front matter shapes it, with steps before `step` replayed,
    /// so the learner stands where the lesson expects at the start of `step`.
    public func rebuild(upTo step: Int) {
        session.reset(brokers: lesson.brokers, seed: lesson.seed, brokerIds: lesson.brokerIds, controllers: lesson.controllers)
        // The lesson's files (`--export > plan.csv`) live in a scratch folder of their own.
        session.files = .scratch()
        entered = []
        finished = []
        runs = []
        for earlier in 0..<min(step, lesson.steps.count) { replay(earlier, judge: false) }
    }

    /// The runs of one step's transcript block, for showing the step again.
    public func runs(step: Int, block: Int) -> [ExampleRun] {
        runs.filter { $0.step == step && $0.block == block }
    }

    private func run(_ step: Int, blocks: Range<Int>) -> [ExampleRun] {
        var new: [ExampleRun] = []
        // A lesson file is a notebook: its examples may not record or write outside the scratch folder.
        let trusted = session.notebookInControl
        session.notebookInControl = true
        defer { session.notebookInControl = trusted }
        for index in blocks {
            guard case .transcript(let transcript) = lesson.steps[step].blocks[index] else { continue }
            for item in transcript.items {
                let (shown, plain, _) = session.executeAndRenderBoth(item.command, input: item.input)
                let run = ExampleRun(
                    step: step, block: index, item: item, actual: plain, shown: shown,
                    matches: OutputMatcher.matches(expected: item.expected, actual: plain))
                new.append(run)
            }
        }
        runs += new
        return new
    }
}
