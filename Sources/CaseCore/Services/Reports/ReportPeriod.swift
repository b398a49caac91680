import Foundation

/// The days a report covers: whole days in the business-hours time zone, `from` inclusive,
/// `to` exclusive (the midnight after the last day named on the command line).
public struct ReportPeriod: Codable, Equatable, Sendable {
    public var from: Date
    public var to: Date
    public var timeZone: String
    /// The first and last day as written (YYYY-MM-DD), both inclusive.
    public var firstDay: String
    public var lastDay: String

    public init(from: Date, to: Date, timeZone: String, firstDay: String, lastDay: String) {
        self.from = from; self.to = to; self.timeZone = timeZone; self.firstDay = firstDay; self.lastDay = lastDay
    }

    /// Reads `--from`/`--to` (YYYY-MM-DD, both inclusive). Without them: the last `defaultDays`
    /// days up to and including today. Any mistake is one line a person can act on.
    public static func parse(from: String?, to: String?, now: Date, timeZone: TimeZone, defaultDays: Int = 28) throws -> ReportPeriod {
        let cal = Self.calendar(timeZone)
        let today = cal.startOfDay(for: now)
        let last: Date
        let first: Date
        if let to { last = try day(to, option: "--to", cal) } else if let from {
            let f = try day(from, option: "--from", cal)
            last = max(today, f)
        } else { last = today }
        if let from { first = try day(from, option: "--from", cal) } else {
            first = cal.date(byAdding: .day, value: -(defaultDays - 1), to: last)!
        }
        guard first <= last else {
            throw CaseError.invalid("--from \(text(first, cal)) is after --to \(text(last, cal)); the period would be empty")
        }
        let end = cal.date(byAdding: .day, value: 1, to: last)!
        return ReportPeriod(from: first, to: end, timeZone: timeZone.identifier, firstDay: text(first, cal), lastDay: text(last, cal))
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        cal.firstWeekday = 2
        return cal
    }

    var calendar: Calendar { Self.calendar(TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!) }

    static func text(_ date: Date, _ cal: Calendar) -> String {
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    private static func day(_ s: String, option: String, _ cal: Calendar) throws -> Date {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              let date = cal.date(from: DateComponents(year: y, month: m, day: d)),
              cal.component(.month, from: date) == m, cal.component(.day, from: date) == d
        else { throw CaseError.invalid("\(option) must be a date written YYYY-MM-DD (e.g. 2025-07-01), not '\(s)'") }
        return cal.startOfDay(for: date)
    }
}

/// Monday = 1 … Sunday = 7, as BusinessHours numbers days.
func isoWeekday(_ cal: Calendar, _ date: Date) -> Int { (cal.component(.weekday, from: date) + 5) % 7 + 1 }

public let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

/// Nearest-rank percentile of sorted values (p in 0…1): the smallest value with at least
/// p of the values at or below it. Nil for no values.
func nearestRank(_ sorted: [Double], _ p: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((p * Double(sorted.count)).rounded(.up))
    return sorted[min(sorted.count, max(1, rank)) - 1]
}

func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
