import Foundation
import Yams

/// calltypes.yaml's dated hours (`business_hours.holidays`, `business_hours.special_hours`)
/// and its `service:` settings, read and checked like the rest of the pack.
extension FileReader {
    static let serviceKeys = ["at_risk_minutes", "repeat_window_days", "shrinkage", "occupancy_cap",
                              "qa_sample_per_agent_week", "csat_alert_at_or_below"]

    /// Holidays (closed all day) and special opening hours, each on a real date, each date once.
    mutating func parseDated(_ f: Fields) -> [DatedHours]? {
        var out: [DatedHours] = []
        var seen: [String: Int] = [:]
        var ok = true
        for (key, special) in [("holidays", false), ("special_hours", true)] {
            let allowed = special ? ["date", "name", "hours"] : ["date", "name"]
            for item in list(f, key) {
                guard let e = fields(item, special ? "a special-hours day" : "a holiday", allowed: allowed) else { ok = false; continue }
                let date = string(e, "date"), name = string(e, "name")
                let hours = special ? string(e, "hours") : nil
                guard let date, let name else { ok = false; continue }
                guard Self.isDate(date.value) else {
                    error(date.line, "bad date '\(date.value)' (expected YYYY-MM-DD, e.g. 2026-12-25)"); ok = false; continue
                }
                if let first = seen[date.value] {
                    error(date.line, "\(date.value) is listed twice (first at line \(first)): one entry per day"); ok = false; continue
                }
                seen[date.value] = date.line
                var span: BusinessHours.Span?
                if special {
                    guard let hours else { ok = false; continue }
                    guard let s = Self.span(hours.value) else {
                        error(hours.line, "bad opening hours '\(hours.value)' for \(date.value) (expected \"HH:MM-HH:MM\"; list a closed day under holidays)")
                        ok = false; continue
                    }
                    span = s
                }
                out.append(DatedHours(date: date.value, name: name.value, span: span))
            }
        }
        return ok ? out.sorted { $0.date < $1.date } : nil
    }

    /// A real calendar date written YYYY-MM-DD.
    static func isDate(_ s: String) -> Bool {
        let p = s.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m), d >= 1 else { return false }
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    /// `service:`: each setting optional, each checked for its range.
    mutating func parseService(_ node: Node) -> ServiceSettings {
        var s = ServiceSettings()
        guard let f = fields(node, "service", allowed: Self.serviceKeys) else { return s }
        func whole(_ key: String, _ range: ClosedRange<Int>, _ what: String) -> Int? {
            guard let v = string(f, key, required: false) else { return nil }
            guard let n = Int(v.value), range.contains(n) else {
                error(v.line, "bad \(key) '\(v.value)' (\(what))"); return nil
            }
            return n
        }
        func share(_ key: String, _ range: ClosedRange<Double>, _ what: String) -> Double? {
            guard let v = string(f, key, required: false) else { return nil }
            let text = v.value.trimmingCharacters(in: .whitespaces)
            let value = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
            guard let value, range.contains(value) else { error(v.line, "bad \(key) '\(v.value)' (\(what))"); return nil }
            return value
        }
        if let n = whole("at_risk_minutes", 1...10080, "whole minutes from 1 to 10080") { s.atRiskMinutes = n }
        if let n = whole("repeat_window_days", 1...365, "whole days from 1 to 365") { s.repeatWindowDays = n }
        if let n = whole("qa_sample_per_agent_week", 0...100, "cases from 0 to 100") { s.qaSamplePerAgentWeek = n }
        if let n = whole("csat_alert_at_or_below", 0...5, "a score from 0 (never) to 5") { s.csatAlertAtOrBelow = n }
        if let d = share("shrinkage", 0...0.95, "a percentage from 0% to 95%, e.g. 30%") { s.shrinkage = d }
        if let d = share("occupancy_cap", 0.05...1, "a percentage above 5% up to 100%, e.g. 85%") { s.occupancyCap = d }
        return s
    }

    /// `pause_when_pending: true|false` on a call type.
    mutating func flag(_ f: Fields, _ key: String) -> Bool {
        guard let v = string(f, key, required: false) else { return false }
        switch v.value.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: error(v.line, "bad \(key) '\(v.value)' (expected true or false)"); return false
        }
    }
}
