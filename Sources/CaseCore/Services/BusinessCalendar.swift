import Foundation

/// The one home of business-time arithmetic: SLA minutes counted only while the contact
/// centre is open, with the calendar of the pack's time zone.
///
/// Every opening and closing moment is found from the local date and wall-clock time
/// (`Calendar.date(from:)`), never by adding seconds to midnight, so days of 23 or 25 hours
/// (daylight saving) come out right. Dated entries (holidays, special hours) replace the
/// weekday's hours for their day.
public struct BusinessCalendar: Sendable {
    public let hours: BusinessHours
    public let calendar: Calendar
    private let dated: [String: BusinessHours.Span?]
    /// Each day's opening hours and next midnight, found once per calendar: Foundation's
    /// calendar arithmetic costs tens of microseconds a call, and an import or a report asks
    /// about the same few days thousands of times.
    private let memo = DayMemo()

    public init(_ hours: BusinessHours) {
        self.hours = hours
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: hours.timeZone) ?? TimeZone(identifier: "UTC")!
        cal.firstWeekday = 2
        calendar = cal
        var d: [String: BusinessHours.Span?] = [:]
        for entry in hours.dated { d[entry.date] = .some(entry.span) }
        dated = d
    }

    /// Open at some time: a calendar that never opens counts wall-clock time instead.
    private var everOpen: Bool {
        hours.days.values.contains { $0.closeMinute > $0.openMinute } || hours.dated.contains { $0.span != nil }
    }

    // MARK: days

    /// Midnight starting the business day that holds `date` ("today" is `dayStart(now)`).
    public func dayStart(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// The business day as YYYY-MM-DD.
    public func dayText(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    func nextDay(_ dayStart: Date) -> Date {
        calendar.date(byAdding: .day, value: 1, to: dayStart).map { calendar.startOfDay(for: $0) } ?? dayStart.addingTimeInterval(86400)
    }

    /// The hours that apply on the day starting at `dayStart`: a dated entry, else the weekday's.
    public func span(onDayStarting dayStart: Date) -> BusinessHours.Span? {
        if let entry = dated[dayText(dayStart)] { return entry }
        let weekday = (calendar.component(.weekday, from: dayStart) + 5) % 7 + 1 // Monday = 1
        return hours.days[weekday]
    }

    /// The moment the local clock shows `minute` minutes after midnight on that day; 24:00
    /// is the next midnight. A wall time skipped by a clock change falls to the next valid moment.
    func moment(_ dayStart: Date, minute: Int) -> Date {
        if minute >= 1440 { return nextDay(dayStart) }
        var c = calendar.dateComponents([.year, .month, .day], from: dayStart)
        c.hour = minute / 60; c.minute = minute % 60
        return calendar.date(from: c) ?? dayStart.addingTimeInterval(Double(minute) * 60)
    }

    /// Opening and closing moments of the day starting at `dayStart`, nil when closed.
    public func openInterval(onDayStarting dayStart: Date) -> (open: Date, close: Date)? {
        guard let span = span(onDayStarting: dayStart), span.closeMinute > span.openMinute else { return nil }
        let open = moment(dayStart, minute: span.openMinute), close = moment(dayStart, minute: span.closeMinute)
        return close > open ? (open, close) : nil
    }

    public func isOpen(at date: Date) -> Bool {
        guard everOpen else { return true }
        guard let i = openInterval(onDayStarting: dayStart(date)) else { return false }
        return date >= i.open && date < i.close
    }

    /// The day's opening interval and the next day's start, remembered.
    private func day(_ dayStart: Date) -> DayMemo.Day {
        if let known = memo.get(dayStart) { return known }
        let day = DayMemo.Day(interval: openInterval(onDayStarting: dayStart), next: nextDay(dayStart))
        memo.set(dayStart, day)
        return day
    }

    // MARK: arithmetic

    /// The moment `minutes` business minutes after `start`.
    public func add(minutes: Int, to start: Date) -> Date {
        add(seconds: Double(minutes) * 60, to: start)
    }

    /// The moment `seconds` business seconds after `start` (a resumed SLA clock's remainder).
    public func add(seconds: Double, to start: Date) -> Date {
        guard everOpen else { return start.addingTimeInterval(seconds) }
        var remaining = max(0, seconds)
        var day = dayStart(start)
        // Bounded: two years of days is far more than any SLA needs, holidays included.
        for _ in 0..<800 {
            let known = self.day(day)
            if let i = known.interval {
                let from = max(start, i.open)
                if from < i.close {
                    let available = i.close.timeIntervalSince(from)
                    // A target that ends exactly at closing time falls due at the next opening:
                    // `due_at < now` and "more business time than the target" then agree all night.
                    if remaining < available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            day = known.next
        }
        return day.addingTimeInterval(remaining)
    }

    /// Business seconds between two moments (SLA attainment, time left, time paused).
    public func businessSeconds(from a: Date, to b: Date) -> Double {
        guard b > a else { return 0 }
        guard everOpen else { return b.timeIntervalSince(a) }
        var total = 0.0
        var day = dayStart(a)
        while day < b {
            let known = self.day(day)
            if let i = known.interval {
                let open = max(a, i.open), close = min(b, i.close)
                if close > open { total += close.timeIntervalSince(open) }
            }
            day = known.next
        }
        return total
    }
}

/// A calendar's remembered days (shared by its copies; a calendar's hours never change).
final class DayMemo: @unchecked Sendable {
    struct Day { var interval: (open: Date, close: Date)?; var next: Date }
    private let lock = NSLock()
    private var days: [Date: Day] = [:]
    func get(_ dayStart: Date) -> Day? { lock.withLock { days[dayStart] } }
    func set(_ dayStart: Date, _ day: Day) { lock.withLock { if days.count < 10_000 { days[dayStart] = day } } }
}
