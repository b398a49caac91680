import Foundation
import Testing
@testable import CaseCore

/// First-contact resolution as `docs/reports.md` defines it, on cases driven through the real
/// operations at a fixed clock. Counted by hand in the comments.
@Suite struct FCRDefinitionTests {
    static func at(_ day: Int, _ hour: Int) -> Date { ReportTests.at(day, hour, 0) }

    @Test func reopenAndContactAfterResolutionAreNotFirstContact() throws {
        let clock = TestClock(Self.at(7, 10))
        let (store, _) = try Fixtures.store(now: { clock.now })
        func resolved(_ customer: String) throws -> Int64 {
            let id = try store.createCase(Fixtures.newCase(customer: customer), by: nil)
            try store.assign(id, to: "alice", by: "dana")
            try store.resolve(id, code: "fixed", by: "alice")
            return id
        }
        // Monday 7 July 10:00, four cases resolved at once, one customer each.
        let clean = try resolved("Ann")      // nothing after: first contact
        let reopened = try resolved("Ben")   // reopened Tuesday, resolved again Wednesday
        let wrote = try resolved("Cat")      // the customer writes again Thursday
        let late = try resolved("Dev")       // the customer writes again after 8 days: outside the window
        _ = clean
        clock.advance(86400)
        try store.setStatus(reopened, to: .open, by: "alice")
        clock.advance(86400)
        try store.resolve(reopened, code: "fixed", by: "alice")
        clock.advance(86400)
        try store.addCustomerMessage(wrote, text: "It happened again")
        clock.advance(5 * 86400)    // Tuesday 15 July 10:00: Dev's window (to the 14th 10:00) has closed
        try store.addCustomerMessage(late, text: "Thanks again")
        // Four first resolutions on the 7th; Ben's second resolution (9th) is not counted again.
        // Not first contact: Ben (reopened), Cat (contact after resolution). FCR = 2 / 4.
        let r = try store.fcrReport(try store.reportPeriod(from: "2025-07-07", to: "2025-07-13"))
        #expect(r.overall.resolved == 4)
        #expect(r.overall.firstContact == 2 && r.overall.repeated == 2 && r.overall.rate == 0.5)
        #expect(r.overall.reopened == 1 && r.overall.contactAfterResolution == 1 && r.overall.repeatCases == 0)
        #expect(r.windowDays == 7, "the pack's repeat window")
        // With a 10-day window Dev's message (8 days on) counts too: 1 / 4.
        let wide = try store.fcrReport(try store.reportPeriod(from: "2025-07-07", to: "2025-07-13"), windowDays: 10)
        #expect(wide.overall.firstContact == 1 && wide.overall.contactAfterResolution == 2)
        // Ben's case, resolved again on the 9th, does not appear a second time in a later period.
        let second = try store.fcrReport(try store.reportPeriod(from: "2025-07-08", to: "2025-07-13"))
        #expect(second.overall.resolved == 0)
    }

    @Test func thePacksRepeatWindowIsTheDefault() throws {
        let clock = TestClock(Self.at(7, 10))
        let (store, _) = try Fixtures.store(now: { clock.now })
        var pack = Fixtures.pack
        pack.settings.repeatWindowDays = 2
        try store.install(pack)
        let id = try store.createCase(Fixtures.newCase(customer: "Ann"), by: nil)
        try store.assign(id, to: "alice", by: "dana")
        try store.resolve(id, code: "fixed", by: "alice")
        // A second case from Ann with the same call type three days later: outside a 2-day window.
        clock.advance(3 * 86400)
        _ = try store.createCase(Fixtures.newCase(customer: "Ann"), by: nil)
        let r = try store.fcrReport(try store.reportPeriod(from: "2025-07-07", to: "2025-07-07"))
        #expect(r.windowDays == 2 && r.overall.firstContact == 1 && r.overall.repeatCases == 0)
    }
}
