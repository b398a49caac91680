import Foundation

/// Adds SLA minutes counted only while the contact centre is open.
public struct BusinessCalendar: Sendable {
    public let hours: BusinessHours
    private let calendar: Calendar

    public init(_ hours: BusinessHours) {
        self.hours = hours
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: hours.timeZone) ?? TimeZone(identifier: "UTC")!
        calendar = cal
    }

    /// The moment `minutes` business minutes after `start`.
    public func add(minutes: Int, to start: Date) -> Date {
        guard !hours.days.isEmpty, hours.days.values.contains(where: { $0.closeMinute > $0.openMinute }) else {
            return start.addingTimeInterval(Double(minutes) * 60)
        }
        var remaining = Double(minutes) * 60
        var dayStart = calendar.startOfDay(for: start)
        var cursor = start
        // Bounded: a year of days is far more than any SLA needs.
        for _ in 0..<400 {
            let weekday = (calendar.component(.weekday, from: dayStart) + 5) % 7 + 1 // Monday = 1
            if let span = hours.days[weekday], span.closeMinute > span.openMinute {
                let open = dayStart.addingTimeInterval(Double(span.openMinute) * 60)
                let close = dayStart.addingTimeInterval(Double(span.closeMinute) * 60)
                let from = max(cursor, open)
                if from < close {
                    let available = close.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            dayStart = calendar.date(byAdding: .day, value: 1, to: dayStart)!
            cursor = dayStart
        }
        return cursor.addingTimeInterval(remaining)
    }

    /// Business seconds between two moments (for SLA attainment and time left).
    public func businessSeconds(from a: Date, to b: Date) -> Double {
        guard b > a else { return 0 }
        var total = 0.0
        var dayStart = calendar.startOfDay(for: a)
        while dayStart < b {
            let weekday = (calendar.component(.weekday, from: dayStart) + 5) % 7 + 1
            if let span = hours.days[weekday] {
                let open = max(a, dayStart.addingTimeInterval(Double(span.openMinute) * 60))
                let close = min(b, dayStart.addingTimeInterval(Double(span.closeMinute) * 60))
                if close > open { total += close.timeIntervalSince(open) }
            }
            dayStart = calendar.date(byAdding: .day, value: 1, to: dayStart)!
        }
        return total
    }
}
