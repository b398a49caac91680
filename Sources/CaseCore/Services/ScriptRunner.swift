import Foundation

/// Where a case stands in its script: which steps were done, which is current,
/// following the answers given to question steps.
public struct ScriptPosition: Equatable, Sendable {
    public enum Mark: Equatable, Sendable { case done(answer: String?), current, pending, skipped }
    public var marks: [String: Mark]
    /// The step to do now; nil when the script is complete.
    public var current: ScriptStep?
    public var path: [String]
}

public enum ScriptRunner {
    /// The step after `step`, given its answer.
    public static func next(after step: ScriptStep, answer: String?, in script: Script) -> String? {
        if step.question != nil, !step.choices.isEmpty {
            guard let answer, let choice = step.choices.first(where: { $0.answer.caseInsensitiveCompare(answer) == .orderedSame }) else { return nil }
            return choice.next
        }
        if step.kind == .close && step.next == nil { return nil }
        if let next = step.next { return next }
        guard let i = script.steps.firstIndex(where: { $0.id == step.id }), i + 1 < script.steps.count else { return nil }
        return script.steps[i + 1].id
    }

    /// Walks the script from its first step through the steps done on the case.
    public static func position(of script: Script, done: [StepProgress]) -> ScriptPosition {
        var answers: [String: String?] = [:]
        for d in done { answers[d.stepId] = d.answer }
        var marks: [String: ScriptPosition.Mark] = [:]
        var path: [String] = []
        var current: ScriptStep?
        var id = script.steps.first?.id
        while let stepId = id, marks[stepId] == nil, let step = script.steps.first(where: { $0.id == stepId }) {
            path.append(stepId)
            guard let answer = answers[stepId] else {
                marks[stepId] = .current
                current = step
                break
            }
            marks[stepId] = .done(answer: answer)
            id = next(after: step, answer: answer, in: script)
        }
        // Steps still reachable from the current one are pending; the rest lie on
        // branches an answer ruled out, and are skipped.
        let ahead = current.map { reachable(from: $0, in: script) } ?? []
        for step in script.steps where marks[step.id] == nil {
            marks[step.id] = ahead.contains(step.id) ? .pending : .skipped
        }
        return ScriptPosition(marks: marks, current: current, path: path)
    }

    /// Every step that may still come after `step`, whatever the answers.
    public static func reachable(from step: ScriptStep, in script: Script) -> Set<String> {
        var seen: Set<String> = []
        var todo = [step]
        while let s = todo.popLast() {
            let targets = s.question != nil && !s.choices.isEmpty
                ? s.choices.map(\.next)
                : [next(after: s, answer: nil, in: script)].compactMap { $0 }
            for id in targets where !seen.contains(id) {
                seen.insert(id)
                if let t = script.steps.first(where: { $0.id == id }) { todo.append(t) }
            }
        }
        return seen
    }
}
