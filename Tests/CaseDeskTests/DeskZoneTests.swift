import CaseCore
import CaseDesk
import Foundation
import Testing

/// "Today" on the desk is the business day in the pack's zone, not the zone of the process
/// running it (the suite runs with TZ=UTC; this pack is in Auckland, UTC+13 in November).
@Suite struct DeskZoneTests {
    static func aucklandDesk(_ clock: @escaping () -> Date = { DeskFixtures.now }) throws -> (Desk, VirtualScreen, CaseStore) {
        let store = try DeskFixtures.store()
        var pack = DeskFixtures.pack
        pack.businessHours = BusinessHours(timeZone: "Pacific/Auckland", days: BusinessHours.always.days)
        try store.install(pack)
        let screen = VirtualScreen(cols: 160, rows: 45)
        let desk = try Desk(store: store, login: "alice", screen: screen, clock: clock)
        desk.start()
        return (desk, screen, store)
    }

    @Test func timesAndTheSameDayCheckAreThePacks() throws {
        let (desk, screen, _) = try Self.aucklandDesk()
        #expect(desk.state.timeZone.identifier == "Pacific/Auckland")
        // Now is 2026-11-23 10:00Z = Monday 23:00 in Auckland (NZDT, UTC+13): the header clock.
        #expect(screen.text().contains("Mon 23:00"))
        // Tunde's case (#6), created 09:30Z (22:30 there), is due 240 minutes later: 13:30Z, which
        // is still today in UTC but 02:30 tomorrow in Auckland, so the desk gives the day too.
        DeskFixtures.keys(desk, [.char(":")])
        DeskFixtures.type(desk, "6")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.open?.id == 6)
        #expect(screen.text().contains("due 24 Nov 02:30"))
        #expect(screen.text().contains("22:30 + created"))
        try expectGolden(screen, "desk-160x45-auckland")
    }

    @Test func aFollowUpTypedAsHHMMIsTodayInThePacksZone() throws {
        let (desk, _, store) = try Self.aucklandDesk()
        DeskFixtures.keys(desk, [.down, .enter])      // Oda's case
        let oda = try #require(desk.state.open)
        // 22:00 today in Auckland (09:00Z) has passed: refused. Read in UTC it would be 22:00Z, ahead.
        DeskFixtures.keys(desk, [.char("p")])
        DeskFixtures.type(desk, "22:00")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.notice?.text.contains("is in the past") == true)
        DeskFixtures.keys(desk, [.escape])
        // 23:30 today in Auckland is 10:30Z, half an hour from now (in UTC, thirteen hours later).
        DeskFixtures.keys(desk, [.char("p")])
        DeskFixtures.type(desk, "23:30")
        DeskFixtures.keys(desk, [.enter])
        let record = try store.record(oda.id)
        #expect(record.status == .pending)
        #expect(record.followUpAt == ISO8601DateFormatter().date(from: "2026-11-23T10:30:00Z"))
    }
}
