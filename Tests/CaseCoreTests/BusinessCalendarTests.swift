import Foundation
import Testing
@testable import CaseCore

/// Business-hours arithmetic across both daylight-saving changes in four zones, holidays and
/// special hours. Every expected moment is worked out by hand in the comments.
@Suite struct BusinessCalendarTests {
    static func utc(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    static func everyDay(_ zone: String, _ open: Int, _ close: Int, dated: [DatedHours] = []) -> BusinessCalendar {
        BusinessCalendar(BusinessHours(timeZone: zone, days: Dictionary(uniqueKeysWithValues: (1...7).map {
            ($0, BusinessHours.Span(openMinute: open * 60, closeMinute: close * 60)) }), dated: dated))
    }

    @Test func londonSpringForward() {
        // Sunday 2026-03-29: clocks go from 01:00 GMT to 02:00 BST (UTC+1). Open 08:00–20:00 local
        // every day, so Sunday opens at 07:00Z. Created 06:00Z (07:00 BST), 4 h: 07:00Z + 4 h = 11:00Z.
        let cal = Self.everyDay("Europe/London", 8, 20)
        #expect(cal.add(minutes: 240, to: Self.utc("2026-03-29T06:00:00Z")) == Self.utc("2026-03-29T11:00:00Z"))
        // Saturday 19:00Z (19:00 GMT) with 2 h: 1 h until 20:00 GMT, then Sunday opens 07:00Z, + 1 h = 08:00Z.
        #expect(cal.add(minutes: 120, to: Self.utc("2026-03-28T19:00:00Z")) == Self.utc("2026-03-29T08:00:00Z"))
        // Saturday (08:00Z–20:00Z) and Sunday (07:00Z–19:00Z) are both 12 open hours.
        #expect(cal.businessSeconds(from: Self.utc("2026-03-28T00:00:00Z"), to: Self.utc("2026-03-30T00:00:00Z")) == 24 * 3600)
    }

    @Test func londonFallBack() {
        // Sunday 2026-10-25: clocks go from 02:00 BST back to 01:00 GMT. Sunday opens 08:00 GMT = 08:00Z.
        // Created 06:00Z, 4 h: 08:00Z + 4 h = 12:00Z.
        let cal = Self.everyDay("Europe/London", 8, 20)
        #expect(cal.add(minutes: 240, to: Self.utc("2026-10-25T06:00:00Z")) == Self.utc("2026-10-25T12:00:00Z"))
        // Saturday 19:00Z is 20:00 BST: already closed. Sunday 08:00Z + 2 h = 10:00Z.
        #expect(cal.add(minutes: 120, to: Self.utc("2026-10-24T19:00:00Z")) == Self.utc("2026-10-25T10:00:00Z"))
    }

    @Test func aroundTheClockCountsTheShortAndLongDays() {
        // Open 00:00–24:00: the spring Sunday has 23 hours, the autumn Sunday 25.
        let cal = Self.everyDay("Europe/London", 0, 24)
        #expect(cal.businessSeconds(from: Self.utc("2026-03-29T00:00:00Z"), to: Self.utc("2026-03-29T23:00:00Z")) == 23 * 3600)
        #expect(cal.openInterval(onDayStarting: cal.dayStart(Self.utc("2026-03-29T12:00:00Z")))!.close
                == Self.utc("2026-03-29T23:00:00Z"))
        let autumn = cal.openInterval(onDayStarting: cal.dayStart(Self.utc("2026-10-25T12:00:00Z")))!
        // Local midnight 2026-10-25 is 00:00 BST = 2026-10-24T23:00Z; the next midnight is 00:00Z on the 26th.
        #expect(autumn.open == Self.utc("2026-10-24T23:00:00Z"))
        #expect(autumn.close.timeIntervalSince(autumn.open) == 25 * 3600)
    }

    @Test func newYork() {
        // Sunday 2026-03-08: 02:00 EST (UTC−5) becomes 03:00 EDT (UTC−4). Opens 08:00 EDT = 12:00Z.
        // Created 10:00Z, 1 h: 13:00Z.
        let cal = Self.everyDay("America/New_York", 8, 20)
        #expect(cal.add(minutes: 60, to: Self.utc("2026-03-08T10:00:00Z")) == Self.utc("2026-03-08T13:00:00Z"))
        // Saturday 2026-03-07 closes 20:00 EST = 01:00Z on the 8th. Created 00:30Z (19:30 EST), 1 h:
        // 30 min Saturday, then Sunday 12:00Z + 30 min = 12:30Z.
        #expect(cal.add(minutes: 60, to: Self.utc("2026-03-08T00:30:00Z")) == Self.utc("2026-03-08T12:30:00Z"))
        // Sunday 2026-11-01: 02:00 EDT becomes 01:00 EST. Opens 08:00 EST = 13:00Z. Created 10:00Z, 1 h: 14:00Z.
        #expect(cal.add(minutes: 60, to: Self.utc("2026-11-01T10:00:00Z")) == Self.utc("2026-11-01T14:00:00Z"))
    }

    @Test func sydney() {
        // Sunday 2026-04-05: 03:00 AEDT (UTC+11) becomes 02:00 AEST (UTC+10). Opens 08:00 AEST
        // = 22:00Z on the 4th. Created 20:00Z on the 4th (06:00 AEST), 1 h: 23:00Z.
        let cal = Self.everyDay("Australia/Sydney", 8, 20)
        #expect(cal.add(minutes: 60, to: Self.utc("2026-04-04T20:00:00Z")) == Self.utc("2026-04-04T23:00:00Z"))
        // Sunday 2026-10-04: 02:00 AEST becomes 03:00 AEDT. Opens 08:00 AEDT = 21:00Z on the 3rd.
        // Created 19:00Z on the 3rd, 1 h: 22:00Z.
        #expect(cal.add(minutes: 60, to: Self.utc("2026-10-03T19:00:00Z")) == Self.utc("2026-10-03T22:00:00Z"))
        // Saturday 2026-10-03 closes 20:00 AEST = 10:00Z; 2 h from 09:00Z: 1 h Saturday, then 21:00Z + 1 h.
        #expect(cal.add(minutes: 120, to: Self.utc("2026-10-03T09:00:00Z")) == Self.utc("2026-10-03T22:00:00Z"))
    }

    @Test func kolkataHasNoDaylightSaving() {
        // UTC+05:30 all year. 09:00–18:00 local = 03:30Z–12:30Z, on the dates other zones change too.
        let cal = Self.everyDay("Asia/Kolkata", 9, 18)
        #expect(cal.add(minutes: 60, to: Self.utc("2026-03-29T02:00:00Z")) == Self.utc("2026-03-29T04:30:00Z"))
        #expect(cal.add(minutes: 60, to: Self.utc("2026-10-25T02:00:00Z")) == Self.utc("2026-10-25T04:30:00Z"))
        // 12:00Z is 17:30 IST: 30 min left today, then 03:30Z + 1 h = 04:30Z the next day.
        #expect(cal.add(minutes: 90, to: Self.utc("2026-03-29T12:00:00Z")) == Self.utc("2026-03-30T04:30:00Z"))
    }

    @Test func holidayIsClosed() {
        // Monday to Friday 09:00–18:00 IST; Monday 2026-01-26 (Republic Day) a holiday.
        // Friday 2026-01-23 17:00 IST (11:30Z), 2 h: 1 h Friday, weekend and the holiday closed,
        // Tuesday 09:00 IST + 1 h = 10:00 IST = 04:30Z on the 27th.
        let hours = BusinessHours(timeZone: "Asia/Kolkata", days: Dictionary(uniqueKeysWithValues: (1...5).map {
            ($0, BusinessHours.Span(openMinute: 540, closeMinute: 1080)) }),
            dated: [DatedHours(date: "2026-01-26", name: "Republic Day", span: nil)])
        let cal = BusinessCalendar(hours)
        #expect(cal.add(minutes: 120, to: Self.utc("2026-01-23T11:30:00Z")) == Self.utc("2026-01-27T04:30:00Z"))
        #expect(!cal.isOpen(at: Self.utc("2026-01-26T06:00:00Z")))
        #expect(cal.isOpen(at: Self.utc("2026-01-27T06:00:00Z")))
        // Friday 11:30Z–12:30Z (1 h) + Tuesday 03:30Z–04:30Z (1 h).
        #expect(cal.businessSeconds(from: Self.utc("2026-01-23T11:30:00Z"), to: Self.utc("2026-01-27T04:30:00Z")) == 7200)
    }

    @Test func specialHoursAndHolidaysAroundChristmas() {
        // Monday to Saturday 08:00–20:00 GMT; Thursday 24 Dec 08:00–12:00; 25 and 26 Dec closed;
        // Sunday closed. Thursday 11:00Z with 3 h: 1 h on the 24th, then Monday 28th 08:00Z + 2 h = 10:00Z.
        let hours = BusinessHours(timeZone: "Europe/London", days: Dictionary(uniqueKeysWithValues: (1...6).map {
            ($0, BusinessHours.Span(openMinute: 480, closeMinute: 1200)) }),
            dated: [DatedHours(date: "2026-12-24", name: "Christmas Eve", span: .init(openMinute: 480, closeMinute: 720)),
                    DatedHours(date: "2026-12-25", name: "Christmas Day", span: nil),
                    DatedHours(date: "2026-12-26", name: "Boxing Day", span: nil)])
        let cal = BusinessCalendar(hours)
        #expect(cal.add(minutes: 180, to: Self.utc("2026-12-24T11:00:00Z")) == Self.utc("2026-12-28T10:00:00Z"))
        // A special opening on a normally closed Sunday: 2026-12-20 10:00–14:00.
        var open = hours
        open.dated.append(DatedHours(date: "2026-12-20", name: "Late shopping", span: .init(openMinute: 600, closeMinute: 840)))
        #expect(BusinessCalendar(open).add(minutes: 60, to: Self.utc("2026-12-19T20:00:00Z")) == Self.utc("2026-12-20T11:00:00Z"))
    }
}
