import Foundation
import Yams

/// One problem in a content pack, located like a compiler diagnostic: `FILE:LINE: problem`.
public struct PackError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file as the caller named it: the pack directory given to the loader joined with
    /// the file's path inside the pack (`Resources/pack/scripts/billing.dispute.yaml`).
    public var file: String
    /// 1-based; 0 when the problem is about the file as a whole (missing, unreadable).
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// SLA durations as written in a pack: `30m`, `4h`, `2d`, `1h30m`.
/// They count business-clock minutes: `1d` is 24 business hours (1440 minutes), not one
/// calendar or working day, so the unit never depends on a team's opening hours.
public enum PackDuration {
    public static let minutesPerHour = 60
    public static let minutesPerDay = 1440

    /// Minutes, or nil unless the text is one or more `<number><d|h|m>` parts (each unit at most once).
    public static func parse(_ text: String) -> Int? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !s.isEmpty else { return nil }
        var total = 0, digits = "", used = Set<Character>()
        for c in s {
            if c.isASCII, c.isNumber { digits.append(c); continue }
            guard let n = Int(digits), digits.count <= 6, !used.contains(c) else { return nil }
            switch c {
            case "d": total += n * minutesPerDay
            case "h": total += n * minutesPerHour
            case "m": total += n
            default: return nil
            }
            used.insert(c); digits = ""
        }
        return digits.isEmpty ? total : nil
    }

    /// The shortest spelling: 1440 -> `1d`, 90 -> `1h30m`, 0 -> `0m`.
    public static func format(_ minutes: Int) -> String {
        guard minutes > 0 else { return "\(minutes)m" }
        var rest = minutes, out = ""
        if rest >= minutesPerDay { out += "\(rest / minutesPerDay)d"; rest %= minutesPerDay }
        if rest >= minutesPerHour { out += "\(rest / minutesPerHour)h"; rest %= minutesPerHour }
        if rest > 0 { out += "\(rest)m" }
        return out
    }
}

/// Reads a content pack directory:
///
///     calltypes.yaml           business hours, resolution codes, call types
///     scripts/<code>.yaml      one script per call type
///     scorecards/<id>.yaml     QA scorecards
public enum PackLoader {
    public static let callTypesFile = "calltypes.yaml"
    public static let scriptsDirectory = "scripts"
    public static let scorecardsDirectory = "scorecards"

    /// The pack, or the first problem `lint` would report.
    public static func load(directory: URL) throws -> ContentPack {
        let (pack, problems) = analyse(directory: directory)
        if let first = problems.first { throw first }
        return pack
    }

    /// Every problem in the pack, ordered by file then line; empty when the pack is clean.
    public static func lint(directory: URL) -> [PackError] {
        analyse(directory: directory).problems
    }

    /// A best-effort pack plus every problem found on the way.
    public static func analyse(directory: URL) -> (pack: ContentPack, problems: [PackError]) {
        let base = displayBase(directory)
        var problems: [PackError] = []
        var pack = ContentPack()

        // calltypes.yaml
        var callTypeOrder: [String: Int] = [:]
        var reader = FileReader(display: display(base, callTypesFile))
        if let root = reader.open(directory.appendingPathComponent(callTypesFile)) {
            let parsed = reader.parseCallTypesFile(root)
            pack.callTypes = parsed.callTypes
            pack.resolutionCodes = parsed.resolutionCodes
            pack.businessHours = parsed.hours
            pack.retentionResolvedAfter = reader.retention
            pack.settings = reader.settings
        }
        problems += reader.sortedErrors
        for (i, t) in pack.callTypes.enumerated() where callTypeOrder[t.code] == nil { callTypeOrder[t.code] = i }
        let known = reader.declaredCallTypes

        problems += shapeProblems(directory, base: base)

        // scripts/
        var scriptFile: [String: String] = [:]
        for rel in yamlFiles(in: directory, sub: scriptsDirectory) {
            var r = FileReader(display: display(base, rel))
            if let root = r.open(directory.appendingPathComponent(rel)),
               let (script, callTypeLine) = r.parseScript(root, knownCallTypes: known) {
                if let other = scriptFile[script.callType] {
                    r.error(callTypeLine, "a second script for call type '\(script.callType)' (the first is \(other))")
                } else {
                    scriptFile[script.callType] = r.display
                    pack.scripts.append(script)
                }
            }
            problems += r.sortedErrors
        }
        // Scripts follow their call types' order in calltypes.yaml, so the pack reads like the file.
        pack.scripts.sort { a, b in
            let ia = callTypeOrder[a.callType] ?? Int.max, ib = callTypeOrder[b.callType] ?? Int.max
            return ia != ib ? ia < ib : a.callType < b.callType
        }

        // scorecards/
        var scorecardFile: [String: String] = [:]
        for rel in yamlFiles(in: directory, sub: scorecardsDirectory) {
            var r = FileReader(display: display(base, rel))
            if let root = r.open(directory.appendingPathComponent(rel)), let (card, idLine) = r.parseScorecard(root) {
                if let other = scorecardFile[card.id] {
                    r.error(idLine, "duplicate scorecard id '\(card.id)' (also in \(other))")
                } else {
                    scorecardFile[card.id] = r.display
                    pack.scorecards.append(card)
                }
            }
            problems += r.sortedErrors
        }
        pack.scorecards.sort { $0.id < $1.id }
        return (pack, problems)
    }

    // MARK: Paths

    /// The directory as the caller spelt it, so messages point where they typed.
    static func displayBase(_ directory: URL) -> String {
        var s = directory.relativePath
        while s.count > 1, s.hasSuffix("/") { s.removeLast() }
        return s
    }

    static func display(_ base: String, _ rel: String) -> String {
        base.isEmpty || base == "." ? rel : (base == "/" ? "/" + rel : base + "/" + rel)
    }

    /// `sub/*.yaml` and `sub/*.yml`, sorted, as paths relative to the pack.
    static func yamlFiles(in directory: URL, sub: String) -> [String] {
        let dir = directory.appendingPathComponent(sub)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { name in
            var folder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &folder)
            return (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !name.hasPrefix(".") && !folder.boolValue
        }
            .sorted().map { sub + "/" + $0 }
    }
}

// MARK: - Reading one file

/// Parses one YAML file into model values, collecting every problem with its line.
struct FileReader {
    let display: String
    var source = ""
    var errors: [PackError] = []
    /// Every call type code calltypes.yaml names, valid or not: scripts check against these.
    var declaredCallTypes = Set<String>()
    /// calltypes.yaml's `retention: resolved_after:`, when it parses.
    var retention: String?
    /// calltypes.yaml's `service:` settings (defaults where it names none).
    var settings = ServiceSettings()
    private var lines: [Substring] = []

    init(display: String) { self.display = display }

    var sortedErrors: [PackError] {
        errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }

    mutating func error(_ line: Int, _ message: String) {
        errors.append(PackError(file: display, line: line, message: message))
    }

    func line(_ node: Node?) -> Int { node?.mark?.line ?? 0 }

    /// The composed document, or nil after recording why there is none.
    mutating func open(_ url: URL) -> Node? {
        guard FileManager.default.fileExists(atPath: url.path) else {
            error(0, "file not found"); return nil
        }
        guard let data = try? Data(contentsOf: url) else { error(0, "cannot read the file"); return nil }
        guard let text = String(data: data, encoding: .utf8) else { error(0, "not UTF-8 text"); return nil }
        source = text
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        do {
            guard let root = try Yams.compose(yaml: text) else { error(1, "the file is empty"); return nil }
            return root
        } catch let e as YamlError {
            let (line, message) = Self.describe(e, text: text)
            error(line, message)
        } catch {
            self.error(1, "YAML error: \(error)")
        }
        return nil
    }

    static func describe(_ e: YamlError, text: String) -> (Int, String) {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return (mark.line, message)
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { o in yaml.utf8.prefix(o).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 } } ?? 1
            return (line, "unreadable YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return (context.mark.line, "duplicate key \(keys)")
        default:
            return (1, "YAML error: \(e)")
        }
    }

    // MARK: Generic field access

    struct Fields {
        let line: Int
        let what: String
        var entries: [String: (keyLine: Int, value: Node)] = [:]
        subscript(key: String) -> Node? { entries[key]?.value }
        /// The line of `key:` itself, which reads better than where a list value starts.
        func keyLine(_ key: String) -> Int { entries[key]?.keyLine ?? line }
    }

    /// A mapping's entries; unknown keys are reported so typos (`respones:`) do not pass silently.
    mutating func fields(_ node: Node, _ what: String, allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(line(node), "\(what) must be a mapping of 'key: value' lines"); return nil
        }
        var f = Fields(line: line(node), what: what)
        for (k, v) in mapping {
            guard case .scalar(let key) = k else { error(line(k), "\(what) has a key that is not a name"); continue }
            if !allowed.contains(key.string) {
                error(line(k), "unknown field '\(key.string)' in \(what) (expected \(allowed.joined(separator: ", ")))")
            }
            f.entries[key.string] = (line(k), v)
        }
        return f
    }

    /// A non-empty single value. A missing or empty required field is reported on the mapping's line.
    mutating func string(_ f: Fields, _ key: String, required: Bool = true) -> (value: String, line: Int)? {
        guard let node = f[key] else {
            if required { error(f.line, "\(f.what) is missing required field '\(key)'") }
            return nil
        }
        guard case .scalar(let s) = node else {
            error(line(node), "'\(key)' in \(f.what) must be a single value, not a list or mapping"); return nil
        }
        // `key:` and `key: ~` are YAML nulls: treat them as absent, not as the text "~".
        let isNull = s.tag.rawValue == Tag.Name.null.rawValue
        if isNull || s.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            if required { error(line(node), "'\(key)' in \(f.what) is empty") }
            return nil
        }
        return (s.string, line(node))
    }

    /// A list; an absent or empty value gives []. Missing and required is reported.
    mutating func list(_ f: Fields, _ key: String, required: Bool = false) -> [Node] {
        guard let node = f[key] else {
            if required { error(f.line, "\(f.what) is missing required field '\(key)'") }
            return []
        }
        switch node {
        case .sequence(let seq): return Array(seq)
        case .scalar(let s) where s.string.isEmpty || s.tag.rawValue == Tag.Name.null.rawValue: return []
        default: error(line(node), "'\(key)' in \(f.what) must be a list ('- ' items)"); return []
        }
    }

    /// Codes and ids: lower-case letters, digits, `_`, `-`, segments joined by dots.
    static func isCode(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { seg in
            !seg.isEmpty && seg.unicodeScalars.allSatisfy {
                ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-"
            }
        }
    }

    /// Reports each unknown placeholder on the source line where it is written.
    mutating func checkPlaceholders(_ text: String, startLine: Int) {
        for name in Placeholders.unknownNames(in: text) {
            error(placeholderLine(name, from: startLine), "unknown placeholder {{\(name)}}")
        }
    }

    /// Scalars may span lines (block `|` text), so look for the token from the value's first line on.
    func placeholderLine(_ name: String, from startLine: Int) -> Int {
        guard startLine >= 1 else { return startLine }
        var i = startLine - 1
        while i < lines.count {
            if lines[i].contains("{{"), Placeholders.tokens(in: String(lines[i])).contains(where: { $0.name == name }) {
                return i + 1
            }
            i += 1
        }
        return startLine
    }

    // MARK: calltypes.yaml

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    mutating func parseCallTypesFile(_ root: Node)
        -> (callTypes: [CallType], resolutionCodes: [ResolutionCode], hours: BusinessHours) {
        guard let top = fields(root, "calltypes.yaml", allowed: ["business_hours", "resolution_codes", "call_types", "retention", "service"])
        else { return ([], [], .always) }

        var hours = BusinessHours.always
        if let node = top["business_hours"] { hours = parseHours(node) ?? .always }
        if let node = top["retention"] { retention = parseRetention(node) }
        if let node = top["service"] { settings = parseService(node) }

        var codes: [ResolutionCode] = []
        var codeLines: [String: Int] = [:]
        for item in list(top, "resolution_codes") {
            guard let f = fields(item, "a resolution code", allowed: ["code", "name"]) else { continue }
            let code = string(f, "code"), name = string(f, "name")
            guard let code, let name else { continue }
            if !Self.isCode(code.value) {
                error(code.line, "bad resolution code '\(code.value)' (use lower-case letters, digits and _)")
            }
            if let first = codeLines[code.value] {
                error(code.line, "duplicate resolution code '\(code.value)' (first at line \(first))"); continue
            }
            codeLines[code.value] = code.line
            codes.append(ResolutionCode(code: code.value, name: name.value))
        }

        var types: [CallType] = []
        var typeLines: [String: Int] = [:]
        for item in list(top, "call_types", required: true) {
            let allowed = ["code", "name", "priority", "first_response", "resolution", "pause_when_pending"]
            guard let f = fields(item, "a call type", allowed: allowed) else { continue }
            let code = string(f, "code"), name = string(f, "name"), prio = string(f, "priority")
            let first = string(f, "first_response"), resolution = string(f, "resolution")
            guard let code else { continue }
            if !Self.isCode(code.value) {
                error(code.line, "bad call type code '\(code.value)' (dotted lower-case names, e.g. billing.dispute)")
            }
            if let earlier = typeLines[code.value] {
                error(code.line, "duplicate call type '\(code.value)' (first at line \(earlier))"); continue
            }
            typeLines[code.value] = code.line
            var priority: Priority?
            if let prio {
                priority = Priority(label: prio.value)
                if priority == nil { error(prio.line, "bad priority '\(prio.value)' (expected P1, P2, P3 or P4)") }
            }
            let firstMinutes = first.flatMap { duration($0) }
            let resolutionMinutes = resolution.flatMap { duration($0) }
            if let a = firstMinutes, let b = resolutionMinutes, a > b, let first {
                error(first.line, "first_response (\(first.value)) is longer than resolution (\(resolution!.value))")
            }
            let pause = flag(f, "pause_when_pending")
            guard let name, let priority, let firstMinutes, let resolutionMinutes else { continue }
            types.append(CallType(code: code.value, name: name.value, defaultPriority: priority,
                                  firstResponseMinutes: firstMinutes, resolutionMinutes: resolutionMinutes, pauseWhenPending: pause))
        }
        // Checked over every declared code, so one bad field does not also orphan the children.
        for (code, line) in typeLines.sorted(by: { $0.value < $1.value }) {
            guard let dot = code.lastIndex(of: ".") else { continue }
            let parent = String(code[..<dot])
            if typeLines[parent] == nil { error(line, "call type '\(code)' has no parent: add '\(parent)' to call_types") }
        }
        declaredCallTypes = Set(typeLines.keys)
        return (types, codes, hours)
    }

    mutating func duration(_ v: (value: String, line: Int)) -> Int? {
        guard let m = PackDuration.parse(v.value) else {
            error(v.line, "bad duration '\(v.value)' (use minutes, hours or days: 30m, 4h, 2d, 1h30m)"); return nil
        }
        guard m > 0 else { error(v.line, "duration '\(v.value)' must be longer than zero"); return nil }
        return m
    }

    mutating func parseHours(_ node: Node) -> BusinessHours? {
        guard let f = fields(node, "business_hours", allowed: ["time_zone"] + Self.weekdays + ["holidays", "special_hours"]) else { return nil }
        var ok = true
        var zone = "UTC"
        if let z = string(f, "time_zone") {
            if TimeZone(identifier: z.value) == nil {
                error(z.line, "unknown time zone '\(z.value)' (use an IANA name such as Europe/London)"); ok = false
            }
            zone = z.value
        } else { ok = false }
        var days: [Int: BusinessHours.Span] = [:]
        for (i, day) in Self.weekdays.enumerated() {
            guard let v = string(f, day, required: false) else { continue }
            if let span = Self.span(v.value) { days[i + 1] = span } else {
                error(v.line, "bad opening hours '\(v.value)' for \(day) (expected \"HH:MM-HH:MM\", e.g. \"08:00-20:00\")")
                ok = false
            }
        }
        if ok && days.isEmpty { error(f.line, "business_hours opens on no day: add e.g. mon: \"09:00-17:00\""); ok = false }
        let dated = parseDated(f)
        return ok ? BusinessHours(timeZone: zone, days: days, dated: dated ?? []) : nil
    }

    /// "08:00-20:00" -> minutes after midnight; close may be 24:00, and must come after open.
    static func span(_ s: String) -> BusinessHours.Span? {
        let parts = s.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let open = minute(parts[0]), let close = minute(parts[1]),
              open < 1440, open < close else { return nil }
        return BusinessHours.Span(openMinute: open, closeMinute: close)
    }

    static func minute(_ s: String) -> Int? {
        let hm = s.split(separator: ":")
        guard hm.count == 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]),
              (0...24).contains(h), (0..<60).contains(m), h < 24 || m == 0 else { return nil }
        return h * 60 + m
    }

    // MARK: scripts/<code>.yaml

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

    // MARK: scorecards/<id>.yaml

    mutating func parseScorecard(_ root: Node) -> (Scorecard, Int)? {
        guard let top = fields(root, "a scorecard", allowed: ["id", "name", "criteria"]) else { return nil }
        let id = string(top, "id"), name = string(top, "name")
        if let id, !Self.isCode(id.value) { error(id.line, "bad scorecard id '\(id.value)' (lower-case letters, digits, _)") }
        var criteria: [ScorecardCriterion] = []
        var seen: [String: Int] = [:]
        let items = list(top, "criteria", required: true)
        for item in items {
            guard let f = fields(item, "a criterion", allowed: ["id", "text", "weight"]) else { continue }
            let cid = string(f, "id"), text = string(f, "text"), weight = string(f, "weight")
            guard let cid, let text, let weight else { continue }
            if let first = seen[cid.value] {
                error(cid.line, "duplicate criterion id '\(cid.value)' (first at line \(first))"); continue
            }
            seen[cid.value] = cid.line
            guard let w = Int(weight.value), w > 0 else {
                error(weight.line, "bad weight '\(weight.value)' (a whole number above zero)"); continue
            }
            criteria.append(ScorecardCriterion(id: cid.value, text: text.value, weight: w))
        }
        let total = criteria.reduce(0) { $0 + $1.weight }
        if !criteria.isEmpty, criteria.count == items.count, total != 100 {
            error(top.keyLine("criteria"), "criteria weights add up to \(total), expected 100")
        }
        if top["criteria"] != nil && items.isEmpty { error(top.keyLine("criteria"), "the scorecard has no criteria") }
        guard let id, let name else { return nil }
        return (Scorecard(id: id.value, name: name.value, criteria: criteria), id.line)
    }
}
