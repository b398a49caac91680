import Foundation
import Yams

/// scripts/<code>.yaml: steps, choices and responses, then the step graph's checks.
extension FileReader {
    /// Where each part of a step was written, for messages about it.
    struct StepLines { var step = 0, next = 0, choices: [Int] = [] }

    mutating func parseScript(_ root: Node, knownCallTypes: Set<String>) -> (Script, Int)? {
        guard let top = fields(root, "a script", allowed: ["call_type", "title", "steps"]) else { return nil }
        let callType = string(top, "call_type"), title = string(top, "title")
        if let callType, !knownCallTypes.contains(callType.value) {
            error(callType.line, "script for unknown call type '\(callType.value)' (not in calltypes.yaml)")
        }
        if let title { checkPlaceholders(title.value, startLine: title.line) }

        var steps: [ScriptStep] = []
        var where_: [StepLines] = []
        var stepIndex: [String: Int] = [:]
        var responseLines: [String: Int] = [:]
        let stepNodes = list(top, "steps", required: true)
        if top["steps"] != nil && stepNodes.isEmpty { error(top.keyLine("steps"), "the script has no steps") }
        for (n, node) in stepNodes.enumerated() {
            let allowed = ["id", "kind", "title", "question", "choices", "next", "responses"]
            guard let f = fields(node, "a step", allowed: allowed) else { continue }
            var at = StepLines(step: f.line)
            let id = string(f, "id")
            let stepID = id?.value ?? "#\(n + 1)"
            if let id {
                if let first = stepIndex[id.value] {
                    error(id.line, "duplicate step id '\(id.value)' (first at line \(where_[first].step))")
                } else {
                    stepIndex[id.value] = steps.count
                }
            }
            var kind = StepKind.diagnose
            if let k = string(f, "kind") {
                if let parsed = StepKind(rawValue: k.value) { kind = parsed } else {
                    let all = StepKind.allCases.map(\.rawValue).joined(separator: ", ")
                    error(k.line, "bad step kind '\(k.value)' (expected one of \(all))")
                }
            }
            let stepTitle = string(f, "title")
            if let stepTitle { checkPlaceholders(stepTitle.value, startLine: stepTitle.line) }
            let question = string(f, "question", required: false)
            if let question { checkPlaceholders(question.value, startLine: question.line) }

            var choices: [StepChoice] = []
            var answers = Set<String>()
            for c in list(f, "choices") {
                guard let cf = fields(c, "a choice", allowed: ["answer", "next"]) else { continue }
                guard let answer = string(cf, "answer"), let next = string(cf, "next") else { continue }
                if !answers.insert(answer.value).inserted {
                    error(answer.line, "step '\(stepID)' has the answer '\(answer.value)' twice")
                }
                checkPlaceholders(answer.value, startLine: answer.line)
                choices.append(StepChoice(answer: answer.value, next: next.value))
                at.choices.append(next.line)
            }
            let next = string(f, "next", required: false)
            at.next = next?.line ?? 0

            if question != nil && choices.isEmpty {
                error(question!.line, "question step '\(stepID)' has no choices: add choices with answer and next")
            }
            if question == nil && !choices.isEmpty {
                error(f.keyLine("choices"), "step '\(stepID)' has choices but no question")
            }
            if !choices.isEmpty, let next {
                error(next.line, "question step '\(stepID)' goes where its choices say: remove 'next'")
            }
            if kind == .close && (next != nil || !choices.isEmpty) {
                error(next?.line ?? f.keyLine("choices"), "close step '\(stepID)' ends the script: remove its next/choices")
            }

            var responses: [ResponseTemplate] = []
            for r in list(f, "responses") {
                guard let rf = fields(r, "a response", allowed: ["id", "title", "text"]) else { continue }
                let rid = string(rf, "id"), rtitle = string(rf, "title"), text = string(rf, "text")
                if let rtitle { checkPlaceholders(rtitle.value, startLine: rtitle.line) }
                if let text { checkPlaceholders(text.value, startLine: text.line) }
                guard let rid, let rtitle, let text else { continue }
                if let first = responseLines[rid.value] {
                    error(rid.line, "duplicate response id '\(rid.value)' (first at line \(first))"); continue
                }
                responseLines[rid.value] = rid.line
                // A response is inserted into a message as-is; YAML's `|` would leave a trailing break.
                var body = text.value
                while body.last?.isNewline == true { body.removeLast() }
                responses.append(ResponseTemplate(id: rid.value, title: rtitle.value, text: body))
            }

            steps.append(ScriptStep(id: stepID, kind: kind, title: stepTitle?.value ?? "", question: question?.value,
                                    choices: choices, next: next?.value, responses: responses))
            where_.append(at)
        }

        // Every target must exist.
        for (i, s) in steps.enumerated() {
            if let n = s.next, stepIndex[n] == nil {
                error(where_[i].next, "step '\(s.id)' goes next to unknown step '\(n)'")
            }
            for (j, c) in s.choices.enumerated() where stepIndex[c.next] == nil {
                error(where_[i].choices[j], "answer '\(c.answer)' of step '\(s.id)' leads to unknown step '\(c.next)'")
            }
        }
        // Reachability from the first step.
        if !steps.isEmpty {
            var reached = Set<Int>(), stack = [0]
            while let i = stack.popLast() {
                guard reached.insert(i).inserted else { continue }
                for t in Self.successors(of: i, in: steps, index: stepIndex) where !reached.contains(t) { stack.append(t) }
            }
            for i in steps.indices where !reached.contains(i) {
                error(where_[i].step, "step '\(steps[i].id)' can never be reached from the first step '\(steps[0].id)'")
            }
        }

        guard let callType else { return nil }
        return (Script(callType: callType.value, title: title?.value ?? "", steps: steps), callType.line)
    }

    /// A close step ends; a question step goes only to its answers; a plain step to `next`,
    /// else to the step listed after it.
    static func successors(of i: Int, in steps: [ScriptStep], index: [String: Int]) -> [Int] {
        let s = steps[i]
        if s.kind == .close { return [] }
        if s.question != nil || !s.choices.isEmpty { return s.choices.compactMap { index[$0.next] } }
        if let n = s.next { return index[n].map { [$0] } ?? [] }
        return i + 1 < steps.count ? [i + 1] : []
    }
}
