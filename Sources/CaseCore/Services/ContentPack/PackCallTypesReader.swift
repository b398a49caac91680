import Foundation
import Yams

/// calltypes.yaml: business hours, resolution codes and call types.
extension FileReader {
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
}
