import CaseCore
import CaseDesk
import Foundation
import Testing

/// A box the tests move the desk's clock with.
final class DeskClock: @unchecked Sendable {
    var now: Date
    init(_ now: Date) { self.now = now }
}

/// The whole contact at the desk: intake (N), the customer (C), search (F), a contact on
/// the case (m), pending with a follow-up (p), placeholders nothing fills.
@Suite struct ContactDeskTests {
    @Test func intakeFindsTheCustomerAsYouTypeAndOpensTheNewCase() throws {
        let (desk, screen, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        DeskFixtures.keys(desk, [.char("N")])
        DeskFixtures.type(desk, "nunez")
        guard case .intake(let form)? = desk.state.overlay else { Issue.record("no intake form"); return }
        #expect(form.matches.map(\.name) == ["María Núñez"])
        try expectGolden(screen, "intake-160x45-customer")
        DeskFixtures.keys(desk, [.enter, .enter])          // pick María; channel: phone
        DeskFixtures.type(desk, "disp")
        try expectGolden(screen, "intake-160x45-call-type")
        DeskFixtures.keys(desk, [.enter])
        DeskFixtures.type(desk, "Second charge on the card")
        DeskFixtures.keys(desk, [.enter])
        DeskFixtures.type(desk, "The October charge came back")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.overlay == nil)
        let open = try #require(desk.state.open)
        #expect(open.detail.customer.name == "María Núñez" && open.detail.record.assignee == "alice")
        #expect(open.detail.record.callType == "billing.dispute" && open.detail.record.priority == .p2)
        #expect(open.detail.events.first?.body == "The October charge came back")
        #expect(open.script?.callType == "billing.dispute")
        #expect(open.detail.otherOpenCases == 1)
        #expect(screen.text().contains("1 other open case (C)"))
        #expect(desk.state.queue.rows.contains { $0.id == open.id })
        _ = store
    }

    @Test func escapeAnywhereInTheIntakeWritesNothing() throws {
        let (desk, _, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        let before = try store.latestEventId()
        let customers = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") }
        DeskFixtures.keys(desk, [.char("N")])
        DeskFixtures.type(desk, "Anna Berg, anna@example.de, +44 20 7946 0018")
        DeskFixtures.keys(desk, [.enter, .enter])
        DeskFixtures.type(desk, "setup")
        DeskFixtures.keys(desk, [.enter])
        DeskFixtures.type(desk, "New router")
        DeskFixtures.keys(desk, [.escape])
        #expect(desk.state.overlay == nil)
        #expect(try store.latestEventId() == before)
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") } == customers)
        // The same form to the end: a new customer with every detail typed.
        DeskFixtures.keys(desk, [.char("N")])
        DeskFixtures.type(desk, "Anna Berg, anna@example.de, +44 20 7946 0018")
        DeskFixtures.keys(desk, [.down, .enter, .right, .enter])   // "new customer"; channel phone → email
        DeskFixtures.keys(desk, [.enter])                         // no call type
        DeskFixtures.keys(desk, [.enter])                         // a subject is required
        #expect(desk.state.notice?.text.contains("needs a subject") == true)
        DeskFixtures.type(desk, "Router will not start")
        DeskFixtures.keys(desk, [.enter, .enter])
        let open = try #require(desk.state.open)
        #expect(open.detail.customer.name == "Anna Berg" && open.detail.customer.email == "anna@example.de")
        #expect(open.detail.customer.phone == "+44 20 7946 0018" && open.detail.record.channel == .email)
        #expect(desk.state.lastChannel == .email)
    }

    @Test func customerViewListsEveryCaseOpenOnesFirst() throws {
        let (desk, screen, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        DeskFixtures.keys(desk, [.enter])     // María's case
        let maria = try #require(desk.state.open)
        var older = NewCase(customer: "", channel: .email, callType: "billing", subject: "Old invoice copy")
        older.customerId = maria.detail.customer.id
        let oldId = try store.createCase(older, by: nil)
        try store.resolve(oldId, code: "fixed", by: "dana")
        DeskFixtures.keys(desk, [.char("C")])
        guard case .customer(let panel)? = desk.state.overlay else { Issue.record("no customer view"); return }
        #expect(panel.history.cases.map(\.id) == [maria.id, oldId])
        try expectGolden(screen, "customer-160x45")
        DeskFixtures.keys(desk, [.down, .enter])
        #expect(desk.state.open?.id == oldId && desk.state.overlay == nil)
    }

    @Test func searchShowsRankedResultsAndOpensOne() throws {
        let (desk, screen, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        DeskFixtures.keys(desk, [.char("F")])
        DeskFixtures.type(desk, "october")
        DeskFixtures.keys(desk, [.enter])
        guard case .search(let panel)? = desk.state.overlay else { Issue.record("no search"); return }
        let hits = try #require(panel.results?.hits)
        #expect(hits.first?.customer == "María Núñez")
        try expectGolden(screen, "search-160x45")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.open?.detail.customer.name == "María Núñez")
        // A search with nothing to search for says so and keeps the overlay.
        DeskFixtures.keys(desk, [.char("F")])
        DeskFixtures.type(desk, "\"*")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.notice?.isError == true)
        if case .search = desk.state.overlay {} else { Issue.record("the search overlay closed") }
        DeskFixtures.keys(desk, [.escape])
        #expect(desk.state.overlay == nil)
        // 李娜 by her name, two characters.
        DeskFixtures.keys(desk, [.char("F")])
        DeskFixtures.type(desk, "李娜")
        DeskFixtures.keys(desk, [.enter, .enter])
        #expect(desk.state.open?.detail.customer.name == "李娜")
        _ = store
    }

    @Test func contactAndPendingWithAFollowUpThatComesBack() throws {
        let clock = DeskClock(DeskFixtures.now)
        let store = try DeskFixtures.store()
        let screen = VirtualScreen(cols: 160, rows: 45)
        let desk = try Desk(store: store, login: "alice", screen: screen, clock: { clock.now })
        desk.start()
        DeskFixtures.keys(desk, [.down, .enter])      // Oda's case (second row)
        let oda = try #require(desk.state.open)
        // p with a time in the past: one clear line, nothing written.
        DeskFixtures.keys(desk, [.char("p")])
        DeskFixtures.type(desk, "09:00")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.notice?.text.contains("is in the past") == true)
        #expect(try store.record(oda.id).status == .open || (try store.record(oda.id).status) == .new)
        DeskFixtures.keys(desk, [.escape])
        DeskFixtures.keys(desk, [.char("p")])
        DeskFixtures.type(desk, "11:30")
        DeskFixtures.keys(desk, [.enter])
        #expect(try store.record(oda.id).status == .pending)
        #expect(!desk.state.queue.followUpDue.contains(oda.id))
        // At 11:31 the case comes back to the top of alice's queue, marked, without a restart.
        clock.now = DeskFixtures.now.addingTimeInterval(5460)
        desk.send(.tick(clock.now))
        #expect(desk.state.queue.followUpDue == [oda.id])
        #expect(desk.state.queue.rows.first?.id == oda.id)
        #expect(screen.text().contains("↻ follow-up due · Oda"))
        // m: the customer replies by email; the case opens again and the mark goes.
        DeskFixtures.keys(desk, [.char("m")])
        DeskFixtures.type(desk, "email")
        DeskFixtures.keys(desk, [.enter])
        DeskFixtures.type(desk, "It pairs now, thanks")
        DeskFixtures.keys(desk, [.enter])
        let after = try store.detail(oda.id)
        #expect(after.record.status == .open)
        #expect(after.events.contains { $0.kind == .message && $0.body == "It pairs now, thanks" && $0.channel == "email" })
        desk.send(.tick(clock.now.addingTimeInterval(2)))
        #expect(desk.state.queue.followUpDue.isEmpty)
    }

    @Test func aResponseWithAnUnfilledPlaceholderIsNotSent() throws {
        var pack = DeskFixtures.pack
        pack.scripts[0].steps[0].responses = [ResponseTemplate(id: "acct", title: "Account", text: "Your account {{customer.account}} is safe")]
        let store = try DeskFixtures.store()
        try store.install(pack)
        let screen = VirtualScreen(cols: 160, rows: 45)
        var edited: String?
        let desk = try Desk(store: store, login: "alice", screen: screen, clock: { DeskFixtures.now },
                            editor: { text in edited = text; return text.replacingOccurrences(of: "{{customer.account}}", with: "ending 42") })
        desk.start()
        DeskFixtures.keys(desk, [.enter])    // María's case; her script is past greet, so retype to start over
        let id = try #require(desk.state.open?.id)
        let responses = { try store.detail(id).events.filter { $0.kind == .response }.count }
        let sentBefore = try responses()
        // Move the script position back to a step with the account response by using a fresh case.
        var new = NewCase(customer: "", channel: .phone, callType: "billing.dispute", subject: "Is my account safe")
        new.customerId = try store.detail(id).customer.id
        let fresh = try store.createCase(new, by: "alice")
        try store.assign(fresh, to: "alice", by: "dana")
        DeskFixtures.keys(desk, [.char(":")])
        DeskFixtures.type(desk, String(fresh))
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.open?.id == fresh)
        DeskFixtures.keys(desk, [.char("r")])
        #expect(desk.state.notice?.text == "not sent: nothing on case #\(fresh) fills {{customer.account}}; press e to edit the response first")
        #expect(try store.detail(fresh).events.allSatisfy { $0.kind != .response })
        DeskFixtures.keys(desk, [.char("e")])
        #expect(edited?.contains("{{customer.account}}") == true)
        #expect(try store.detail(fresh).events.last { $0.kind == .response }?.body == "Your account ending 42 is safe")
        #expect(try responses() == sentBefore)
    }
}
