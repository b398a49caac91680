import CaseCore
import CaseDesk
import Foundation
import Testing

/// The priority (`P`) and team (`T`) of the open case, at the desk: the same policy and
/// messages as `casedesk case priority` and `casedesk case move`.
@Suite struct CaseEditDeskTests {
    @Test func priorityNeedsAReasonAndEscapeWritesNothing() throws {
        let (desk, screen, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        DeskFixtures.keys(desk, [.enter])     // María's case, P2, alice's
        let id = try #require(desk.state.open?.id)
        let before = try store.latestEventId()
        DeskFixtures.keys(desk, [.char("P")])
        guard case .priority(let form)? = desk.state.overlay else { Issue.record("no priority form"); return }
        #expect(form.current == .p2 && form.selected == .p2)
        DeskFixtures.keys(desk, [.up])
        DeskFixtures.type(desk, "customer's card is blocked abroad")
        try expectGolden(screen, "priority-160x45")
        DeskFixtures.keys(desk, [.escape])
        #expect(desk.state.overlay == nil)
        #expect(try store.latestEventId() == before)

        // A reason is required, as on the command line; the form stays open until there is one.
        DeskFixtures.keys(desk, [.char("P"), .up])
        DeskFixtures.type(desk, "   ")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.notice?.text == "say why the priority changes: the reason goes on the timeline")
        guard case .priority? = desk.state.overlay else { Issue.record("the form closed without a reason"); return }
        #expect(try store.latestEventId() == before)
        DeskFixtures.type(desk, "card blocked abroad")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.overlay == nil)
        #expect(desk.state.notice?.text == "case #\(id) is now P1 · card blocked abroad")
        let record = try store.record(id)
        #expect(record.priority == .p1 && record.priorityManual)
        let event = try #require(try store.detail(id).events.last)
        #expect(event.kind == .priority && event.oldValue == "P2" && event.newValue == "P1" && event.body == "card blocked abroad")
        #expect(desk.state.open?.detail.record.priority == .p1)
        #expect(screen.text().contains("P1"))
    }

    @Test func moveToAnotherTeamsQueueFromTheList() throws {
        let (desk, screen, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        try store.addTeam("Tier 2", policy: "round_robin")
        DeskFixtures.keys(desk, [.enter])     // María's case, alice's
        let id = try #require(desk.state.open?.id)
        let before = try store.latestEventId()
        DeskFixtures.keys(desk, [.char("T")])
        guard case .picker(let picker)? = desk.state.overlay else { Issue.record("no team picker"); return }
        #expect(picker.items.map(\.id) == ["Tier 1", "Tier 2"])
        try expectGolden(screen, "move-team-160x45")
        DeskFixtures.keys(desk, [.escape])
        #expect(try store.latestEventId() == before)

        DeskFixtures.keys(desk, [.char("T")])
        DeskFixtures.type(desk, "2")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.notice?.text == "case #\(id) moved to the Tier 2 queue")
        let record = try store.record(id)
        #expect(record.assigneeId == nil)
        #expect(try store.teams().first { $0.name == "Tier 2" }?.id == record.teamId)
        #expect(try store.detail(id).events.contains { $0.kind == .assign && $0.field == "team" && $0.newValue == "Tier 2" })
        #expect(!desk.state.queue.rows.contains { $0.id == id })   // no longer in alice's queue
    }

    @Test func theKeysAskThePolicyBeforeTheFormOpens() throws {
        let (desk, _, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        // A case waiting in the queue: an agent may set its priority, but only its
        // assignee or a lead may move it (Policy: reassign).
        let waiting = try #require(try store.queuePage(QueueFilter(scope: .unassigned)).first?.id)
        DeskFixtures.keys(desk, [.char(":")])
        DeskFixtures.type(desk, String(waiting))
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.open?.id == waiting)
        DeskFixtures.keys(desk, [.char("T")])
        #expect(desk.state.overlay == nil)
        let refusal = try #require(desk.state.notice)
        #expect(refusal.isError && refusal.text.hasPrefix("alice may not reassign case #\(waiting) (waiting in the queue): only its assignee"))
        DeskFixtures.keys(desk, [.char("P")])
        guard case .priority? = desk.state.overlay else { Issue.record("an agent may set a waiting case's priority"); return }
        DeskFixtures.keys(desk, [.escape])
        // No case open: the keys say what to do first.
        let (fresh, _, _) = try DeskFixtures.desk(cols: 160, rows: 45)
        DeskFixtures.keys(fresh, [.char("P")])
        #expect(fresh.state.overlay == nil && fresh.state.notice?.text.hasPrefix("open a case first") == true)
    }

    @Test func keysAreInTheKeymapHelpAndHints() {
        #expect(Keymap.command(for: .char("P"), in: .caseDetail) == .priority)
        #expect(Keymap.command(for: .char("T"), in: .queue) == .moveTeam)
        let labels = Keymap.hints(in: .caseDetail, unicode: true).map(\.label)
        #expect(labels.suffix(2) == ["priority", "team"])
    }
}
