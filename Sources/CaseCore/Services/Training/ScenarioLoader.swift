import Foundation
import Yams

/// Reads role-play scenarios (`Resources/training/*.yaml`, one per file), reporting each
/// problem as `FILE:LINE: problem` from Yams' node marks, as the content pack loader does.
public enum ScenarioLoader {
    /// Communication styles a persona may have (the classic four social styles).
    public static let styles = ["driver", "expressive", "amiable", "analytical"]
    public static let defaultMax = 4

    /// `CASEDESK_TRAINING`, else `training/` beside the content pack that would be used.
    public static func defaultDirectory() -> URL? {
        if let env = ProcessInfo.processInfo.environment["CASEDESK_TRAINING"], !env.isEmpty {
            return URL(fileURLWithPath: (env as NSString).expandingTildeInPath, isDirectory: true)
        }
        guard let pack = PackLocator.defaultPackDirectory() else { return nil }
        let dir = pack.deletingLastPathComponent().appendingPathComponent("training", isDirectory: true)
        return FileManager.default.fileExists(atPath: dir.path) ? dir : nil
    }

    /// Every scenario in a directory (or one file), plus every problem found. With a pack,
    /// call types, resolution codes and the script's step and response ids are checked too.
    public static func analyse(path: URL, pack: ContentPack? = nil) -> (scenarios: [Scenario], problems: [PackError]) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDir) else {
            return ([], [PackError(file: path.relativePath, line: 0, message: "no such file or directory")])
        }
        let files: [(URL, String)]
        if isDir.boolValue {
            let base = PackLoader.displayBase(path)
            files = PackLoader.yamlFiles(in: path.deletingLastPathComponent(), sub: path.lastPathComponent)
                .map { rel in
                    let name = (rel as NSString).lastPathComponent
                    return (path.appendingPathComponent(name), PackLoader.display(base, name))
                }
        } else {
            files = [(path, path.relativePath)]
        }
        var scenarios: [Scenario] = []
        var problems: [PackError] = []
        var seen: [String: String] = [:]
        for (url, display) in files {
            var r = FileReader(display: display)
            if let root = r.open(url), let (scenario, idLine) = r.parseScenario(root, pack: pack) {
                if let other = seen[scenario.id] {
                    r.error(idLine, "duplicate scenario id '\(scenario.id)' (also in \(other))")
                } else {
                    seen[scenario.id] = display
                    scenarios.append(scenario)
                }
            }
            problems += r.sortedErrors
        }
        if isDir.boolValue && files.isEmpty {
            problems.append(PackError(file: path.relativePath, line: 0, message: "no scenario files (*.yaml) here"))
        }
        return (scenarios.sorted { $0.id < $1.id }, problems)
    }

    /// The scenarios, or the first problem.
    public static func load(path: URL, pack: ContentPack? = nil) throws -> [Scenario] {
        let (scenarios, problems) = analyse(path: path, pack: pack)
        if let first = problems.first { throw first }
        return scenarios
    }
}

extension FileReader {
    mutating func parseScenario(_ root: Node, pack: ContentPack?) -> (Scenario, Int)? {
        let topKeys = ["id", "title", "topic", "persona", "case", "lines", "hidden_facts", "expected", "target_handle_time", "rubric"]
        guard let top = fields(root, "a scenario", allowed: topKeys) else { return nil }
        let id = string(top, "id"), title = string(top, "title"), topicText = string(top, "topic")
        if let id, !Self.isCode(id.value) { error(id.line, "bad scenario id '\(id.value)' (lower-case letters, digits, _, - and dots)") }
        var topic: TrainingTopic?
        if let topicText {
            topic = TrainingTopic(rawValue: topicText.value)
            if topic == nil {
                error(topicText.line, "unknown topic '\(topicText.value)' (expected one of \(TrainingTopic.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        let callTypes = pack.map { Set($0.callTypes.map(\.code)) }
        func checkCallType(_ v: (value: String, line: Int)) {
            if let callTypes, !callTypes.contains(v.value) { error(v.line, "unknown call type '\(v.value)' (not in the content pack)") }
        }

        // persona
        var persona: Persona?
        if let node = top["persona"], let f = fields(node, "the persona", allowed: ["style", "description"]) {
            let style = string(f, "style"), description = string(f, "description")
            if let style, !ScenarioLoader.styles.contains(style.value) {
                error(style.line, "unknown communication style '\(style.value)' (expected one of \(ScenarioLoader.styles.joined(separator: ", ")))")
            }
            if let style, let description { persona = Persona(style: style.value, description: description.value.trimmed) }
        } else if top["persona"] == nil { error(top.line, "a scenario is missing required field 'persona'") }

        // case
        var startingCase: ScenarioCase?
        if let node = top["case"],
           let f = fields(node, "the case", allowed: ["customer", "email", "phone", "channel", "call_type", "subject", "opening"]) {
            let customer = string(f, "customer"), channel = string(f, "channel"), subject = string(f, "subject"), opening = string(f, "opening")
            let email = string(f, "email", required: false), phone = string(f, "phone", required: false)
            let callType = string(f, "call_type", required: false)
            if let callType { checkCallType(callType) }
            var ch: Channel?
            if let channel {
                ch = Channel(rawValue: channel.value)
                if ch == nil { error(channel.line, "unknown channel '\(channel.value)' (expected \(Channel.allCases.map(\.rawValue).joined(separator: ", ")))") }
            }
            if let customer, let ch, let subject, let opening {
                startingCase = ScenarioCase(customer: customer.value, email: email?.value, phone: phone?.value, channel: ch,
                                            callType: callType?.value, subject: subject.value.trimmed, opening: opening.value.trimmed)
            }
        } else if top["case"] == nil { error(top.line, "a scenario is missing required field 'case'") }

        // expected
        var expectedCallType: String?, expectedResolution: String?
        if let node = top["expected"], let f = fields(node, "'expected'", allowed: ["call_type", "resolution"]) {
            if let ct = string(f, "call_type") { checkCallType(ct); expectedCallType = ct.value }
            if let rc = string(f, "resolution") {
                if let pack, !pack.resolutionCodes.contains(where: { $0.code == rc.value }) {
                    error(rc.line, "unknown resolution code '\(rc.value)' (not in the content pack)")
                }
                expectedResolution = rc.value
            }
        } else if top["expected"] == nil { error(top.line, "a scenario is missing required field 'expected'") }
        // Branch conditions name steps and responses of the script the trainee should follow.
        let script = expectedCallType.flatMap { code in Self.script(for: code, in: pack) }

        // lines
        var lines: [ScenarioLine] = []
        var lineIds: [String: Int] = [:]
        let lineNodes = list(top, "lines", required: true)
        if top["lines"] != nil && lineNodes.isEmpty { error(top.keyLine("lines"), "the scenario has no customer lines") }
        for node in lineNodes {
            guard let f = fields(node, "a customer line", allowed: ["id", "say", "branches"]) else { continue }
            let lid = string(f, "id"), say = string(f, "say")
            if let lid {
                if let first = lineIds[lid.value] { error(lid.line, "duplicate line id '\(lid.value)' (first at line \(first))") }
                lineIds[lid.value] = lid.line
            }
            var branches: [ScenarioBranch] = []
            for b in list(f, "branches") {
                guard let bf = fields(b, "a branch", allowed: ["when", "label", "say"]) else { continue }
                let when = string(bf, "when"), label = string(bf, "label", required: false), bsay = string(bf, "say")
                guard let when, let bsay else { continue }
                checkCondition(when, script: script)
                branches.append(ScenarioBranch(when: when.value, label: label?.value ?? when.value, say: bsay.value.trimmed))
            }
            if let lid, let say { lines.append(ScenarioLine(id: lid.value, say: say.value.trimmed, branches: branches)) }
        }

        // hidden facts
        var facts: [HiddenFact] = []
        for node in list(top, "hidden_facts") {
            guard let f = fields(node, "a hidden fact", allowed: ["fact", "ask"]) else { continue }
            if let fact = string(f, "fact"), let ask = string(f, "ask") { facts.append(HiddenFact(fact: fact.value.trimmed, ask: ask.value.trimmed)) }
        }

        var target: Double?
        if let t = string(top, "target_handle_time", required: false), let m = duration(t) { target = Double(m * 60) }

        // rubric
        var rubric: [RubricCriterion] = []
        var criterionIds: [String: Int] = [:]
        let items = list(top, "rubric", required: true)
        for item in items {
            guard let f = fields(item, "a rubric criterion", allowed: ["id", "text", "weight", "max"]) else { continue }
            let cid = string(f, "id"), text = string(f, "text"), weight = string(f, "weight"), max = string(f, "max", required: false)
            guard let cid, let text, let weight else { continue }
            if !Self.isCode(cid.value) { error(cid.line, "bad criterion id '\(cid.value)' (lower-case letters, digits, _)") }
            if cid.value.hasPrefix("auto") { error(cid.line, "criterion ids starting with 'auto' are kept for the desk's own scores") }
            if let first = criterionIds[cid.value] { error(cid.line, "duplicate criterion id '\(cid.value)' (first at line \(first))"); continue }
            criterionIds[cid.value] = cid.line
            guard let w = Int(weight.value), w > 0 else { error(weight.line, "bad weight '\(weight.value)' (a whole number above zero)"); continue }
            var top = ScenarioLoader.defaultMax
            if let max {
                guard let m = Int(max.value), (1...10).contains(m) else { error(max.line, "bad max '\(max.value)' (a whole number from 1 to 10)"); continue }
                top = m
            }
            rubric.append(RubricCriterion(id: cid.value, text: text.value.trimmed, weight: w, max: top))
        }
        let total = rubric.reduce(0) { $0 + $1.weight }
        if !rubric.isEmpty, rubric.count == items.count, total != 100 {
            error(top.keyLine("rubric"), "rubric weights add up to \(total), expected 100")
        }
        if top["rubric"] != nil && items.isEmpty { error(top.keyLine("rubric"), "the rubric has no criteria") }

        guard let id, let title, let topic, let persona, let startingCase, let expectedCallType, let expectedResolution, errors.isEmpty
        else { return nil }
        return (Scenario(id: id.value, title: title.value, topic: topic, persona: persona, startingCase: startingCase, lines: lines,
                         hiddenFacts: facts, expectedCallType: expectedCallType, expectedResolution: expectedResolution,
                         targetHandleSeconds: target, rubric: rubric), id.line)
    }

    /// A child call type without its own script follows its parent's, as on the desk.
    static func script(for code: String, in pack: ContentPack?) -> Script? {
        guard let pack else { return nil }
        var c: Substring? = Substring(code)
        while let cur = c {
            if let s = pack.scripts.first(where: { $0.callType == cur }) { return s }
            c = cur.lastIndex(of: ".").map { cur[..<$0] }
        }
        return nil
    }

    mutating func checkCondition(_ when: (value: String, line: Int), script: Script?) {
        let (kind, value) = ScenarioBranch.split(when.value)
        guard ScenarioBranch.kinds.contains(kind) else {
            error(when.line, "bad branch condition '\(when.value)' (expected step:ID, response:ID, answer:STEP=ANSWER, call_type:CODE or manual)")
            return
        }
        if kind != "manual" && value.isEmpty { error(when.line, "branch condition '\(when.value)' names nothing after '\(kind):'"); return }
        guard let script else { return }
        switch kind {
        case "step" where !script.steps.contains { $0.id == value }:
            error(when.line, "no step '\(value)' in the \(script.callType) script")
        case "response" where !script.steps.contains { $0.responses.contains { $0.id == value } }:
            error(when.line, "no response '\(value)' in the \(script.callType) script")
        case "answer":
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count != 2 { error(when.line, "write an answer condition as answer:STEP=ANSWER"); return }
            guard let step = script.steps.first(where: { $0.id == parts[0] }) else {
                error(when.line, "no step '\(parts[0])' in the \(script.callType) script"); return
            }
            if !step.choices.contains(where: { $0.answer.caseInsensitiveCompare(parts[1]) == .orderedSame }) {
                error(when.line, "step '\(parts[0])' has no answer '\(parts[1])'")
            }
        default: break
        }
    }
}

fileprivate extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
