import Foundation

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
