import Foundation
import Yams

/// Writes a pack in the layout `PackLoader` reads, so `load(write(pack)) == pack` for any pack
/// `load` returned (scripts in call-type order, response texts without trailing line breaks).
public enum PackWriter {
    public static func write(_ pack: ContentPack, to directory: URL) throws {
        let fm = FileManager.default
        let base = PackLoader.displayBase(directory)
        let scriptsDir = directory.appendingPathComponent(PackLoader.scriptsDirectory)
        let cardsDir = directory.appendingPathComponent(PackLoader.scorecardsDirectory)
        do {
            try fm.createDirectory(at: scriptsDir, withIntermediateDirectories: true)
            try fm.createDirectory(at: cardsDir, withIntermediateDirectories: true)
        } catch {
            throw PackError(file: base, line: 0, message: "cannot create the pack directory: \(error.localizedDescription)")
        }

        var files: [(rel: String, text: String)] = []
        files.append((PackLoader.callTypesFile, try yaml(callTypesNode(pack), header: "Call types, SLA targets, resolution codes and business hours.")))
        var seen = Set<String>()
        for script in pack.scripts {
            let rel = PackLoader.scriptsDirectory + "/" + fileName(script.callType)
            guard seen.insert(rel).inserted else {
                throw PackError(file: PackLoader.display(base, rel), line: 0, message: "two scripts for call type '\(script.callType)'")
            }
            files.append((rel, try yaml(scriptNode(script), header: "Script for call type \(script.callType).")))
        }
        for card in pack.scorecards {
            let rel = PackLoader.scorecardsDirectory + "/" + fileName(card.id)
            guard seen.insert(rel).inserted else {
                throw PackError(file: PackLoader.display(base, rel), line: 0, message: "two scorecards with id '\(card.id)'")
            }
            files.append((rel, try yaml(scorecardNode(card), header: "QA scorecard: weights add up to 100.")))
        }

        // Stale files would be loaded back as part of the pack, so the written set is the whole set.
        for sub in [PackLoader.scriptsDirectory, PackLoader.scorecardsDirectory] {
            for rel in PackLoader.yamlFiles(in: directory, sub: sub) where !seen.contains(rel) {
                try? fm.removeItem(at: directory.appendingPathComponent(rel))
            }
        }
        for (rel, text) in files {
            do {
                try Data(text.utf8).write(to: directory.appendingPathComponent(rel), options: .atomic)
            } catch {
                throw PackError(file: PackLoader.display(base, rel), line: 0, message: "cannot write: \(error.localizedDescription)")
            }
        }
    }

    static func fileName(_ code: String) -> String {
        code.replacingOccurrences(of: "/", with: "_") + ".yaml"
    }

    static func yaml(_ node: Node, header: String) throws -> String {
        let body = try Yams.serialize(node: node, indent: 2, width: -1, allowUnicode: true)
        return "# \(header)\n# Format: docs/content-pack.md\n" + body
    }

    // MARK: Nodes

    /// Plain where it reads back as the same text; quoted where YAML would see a number,
    /// bool or null; literal block for multi-line text.
    static func s(_ text: String) -> Node {
        if text.contains("\n") { return Node(text, .implicit, .literal) }
        if text.isEmpty || Node(text).tag.rawValue != Tag.Name.str.rawValue { return Node(text, Tag(.str), .doubleQuoted) }
        return Node(text)
    }

    /// Response texts always as a `|` block: they read and diff like the message they become.
    static func block(_ text: String) -> Node {
        text.isEmpty ? s(text) : Node(text, .implicit, .literal)
    }

    static func map(_ pairs: [(String, Node?)], style: Node.Mapping.Style = .any) -> Node {
        Node(pairs.compactMap { k, v in v.map { (Node(k), $0) } }, .implicit, style)
    }

    static func callTypesNode(_ pack: ContentPack) -> Node {
        let h = pack.businessHours
        var hours: [(String, Node?)] = [("time_zone", s(h.timeZone))]
        for (i, day) in FileReader.weekdays.enumerated() {
            guard let span = h.days[i + 1] else { continue }
            hours.append((day, Node("\(clock(span.openMinute))-\(clock(span.closeMinute))", Tag(.str), .doubleQuoted)))
        }
        let holidays = h.dated.filter(\.isHoliday).map { map([("date", s($0.date)), ("name", s($0.name))]) }
        let special = h.dated.compactMap { d in d.span.map { span in
            map([("date", s(d.date)), ("name", s(d.name)),
                 ("hours", Node("\(clock(span.openMinute))-\(clock(span.closeMinute))", Tag(.str), .doubleQuoted))])
        } }
        if !holidays.isEmpty { hours.append(("holidays", Node(holidays))) }
        if !special.isEmpty { hours.append(("special_hours", Node(special))) }
        let v = pack.settings
        let service = map([("at_risk_minutes", Node(String(v.atRiskMinutes))), ("repeat_window_days", Node(String(v.repeatWindowDays))),
                           ("shrinkage", s(percent(v.shrinkage))), ("occupancy_cap", s(percent(v.occupancyCap))),
                           ("qa_sample_per_agent_week", Node(String(v.qaSamplePerAgentWeek))),
                           ("csat_alert_at_or_below", Node(String(v.csatAlertAtOrBelow)))])
        let codes = pack.resolutionCodes.map { map([("code", s($0.code)), ("name", s($0.name))]) }
        let types = pack.callTypes.map { t in
            map([("code", s(t.code)), ("name", s(t.name)), ("priority", s(t.defaultPriority.description)),
                 ("first_response", s(PackDuration.format(t.firstResponseMinutes))),
                 ("resolution", s(PackDuration.format(t.resolutionMinutes))),
                 ("pause_when_pending", t.pauseWhenPending ? Node("true") : nil)])
        }
        return map([("business_hours", map(hours)), ("service", service),
                    ("retention", pack.retentionResolvedAfter.map { map([("resolved_after", s($0))]) }),
                    ("resolution_codes", Node(codes)), ("call_types", Node(types))])
    }

    /// 0.3 -> "30%", 0.125 -> "12.5%".
    static func percent(_ v: Double) -> String {
        let p = (v * 1000).rounded() / 10
        return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
    }

    static func clock(_ minute: Int) -> String {
        String(format: "%02d:%02d", minute / 60, minute % 60)
    }

    static func scriptNode(_ script: Script) -> Node {
        let steps = script.steps.map { step -> Node in
            let choices = step.choices.map { map([("answer", s($0.answer)), ("next", s($0.next))], style: .flow) }
            let responses = step.responses.map { map([("id", s($0.id)), ("title", s($0.title)), ("text", block($0.text))]) }
            return map([
                ("id", s(step.id)), ("kind", s(step.kind.rawValue)), ("title", s(step.title)),
                ("question", step.question.map(s)),
                ("choices", choices.isEmpty ? nil : Node(choices)),
                ("next", step.next.map(s)),
                ("responses", responses.isEmpty ? nil : Node(responses)),
            ])
        }
        return map([("call_type", s(script.callType)), ("title", s(script.title)), ("steps", Node(steps))])
    }

    static func scorecardNode(_ card: Scorecard) -> Node {
        let criteria = card.criteria.map { c in
            map([("id", s(c.id)), ("text", s(c.text)), ("weight", Node(String(c.weight)))])
        }
        return map([("id", s(card.id)), ("name", s(card.name)), ("criteria", Node(criteria))])
    }
}
