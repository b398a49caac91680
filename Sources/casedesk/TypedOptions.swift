import ArgumentParser
import CaseCore
import Foundation

// Option values ArgumentParser parses and checks before `run()`: a wrong one is one line naming
// the value and what is accepted (every enum lists its values, in the error and in --help), exit 64.

extension Priority: ExpressibleByArgument {
    public init?(argument: String) { self.init(label: argument) }
    public static var allValueStrings: [String] { allCases.map(\.description) }
    public var defaultValueDescription: String { description }
}

/// A day written YYYY-MM-DD that exists in the calendar; the report period reads it in the
/// business-hours time zone.
struct Day: ExpressibleByArgument {
    let text: String
    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: DateComponents(year: y, month: m, day: d)),
              cal.component(.month, from: date) == m, cal.component(.day, from: date) == d else { return nil }
        text = argument
        utcMidnight = date
    }
    /// Midnight UTC of the day, where a day is not read in the business-hours zone.
    let utcMidnight: Date
}

/// Case ids separated by commas: 12,40,41.
struct CaseIds: ExpressibleByArgument {
    let ids: [Int64]
    init?(argument: String) {
        let ids = argument.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
        guard !ids.isEmpty, !ids.contains(nil) else { return nil }
        self.ids = ids.compactMap { $0 }
    }
}

/// A weekday by its English name or first three letters (mon … sun).
enum Weekday: String, CaseIterable, ExpressibleByArgument {
    case mon, tue, wed, thu, fri, sat, sun
    init?(argument: String) {
        let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        let s = argument.lowercased()
        guard s.count >= 3, let i = names.firstIndex(where: { $0.hasPrefix(s) }) else { return nil }
        self = Self.allCases[i]
    }
    /// Monday = 1 … Sunday = 7, as BusinessHours numbers days.
    var number: Int { Self.allCases.firstIndex(of: self)! + 1 }
}

/// A retention period (3y, 18m, 26w, 90d); a wrong one names the forms accepted.
func retentionPeriod(_ text: String) throws -> RetentionPeriod {
    guard let period = RetentionPeriod(text) else { throw ValidationError(RetentionPeriod.help) }
    return period
}

/// A number option's parser: a value that is not a number, or is outside what is accepted
/// (1e300 seconds, a target of 1.5), is one line naming the value as typed and the range.
func number<T: LosslessStringConvertible & Sendable>(_ accepted: String, _ ok: @escaping @Sendable (T) -> Bool) -> @Sendable (String) throws -> T {
    { text in
        guard let value = T(text.trimmingCharacters(in: .whitespaces)), ok(value) else { throw ValidationError("expected \(accepted)") }
        return value
    }
}

/// Statuses separated by commas (open,pending), each one of `CaseStatus`.
@Sendable func statusList(_ text: String) throws -> [CaseStatus] {
    try text.split(separator: ",").map { part in
        let name = part.trimmingCharacters(in: .whitespaces)
        guard let s = CaseStatus(rawValue: name) else {
            throw ValidationError("unknown status '\(name)' (one of: \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return s
    }
}
