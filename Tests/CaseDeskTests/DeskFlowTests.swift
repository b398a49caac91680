import CaseCore
import CaseDesk
import Foundation
import Testing

/// The desk driven by messages alone, checking state and database after each step.
@Suite struct DeskFlowTests {
    @Test func takeNextSetCallTypeAnswerRespondResolve() throws {
        let (desk, screen, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        #expect(desk.state.queue.rows.count == 3)
        #expect(desk.state.queue.openCount == 3 && desk.state.queue.riskCount == 2)

        // n: the most urgent waiting case (Søren's P1) is mine and open.
        DeskFixtures.keys(desk, [.char("n")])
        let taken = try #require(desk.state.open)
        #expect(taken.detail.customer.name == "Søren Åberg")
        #expect(try store.record(taken.id).assignee == "alice")
        #expect(desk.state.queue.rows.contains { $0.id == taken.id })
        #expect(screen.text().contains("took case #\(taken.id)"))

        // c: fuzzy picker, "disp" finds billing.dispute; the script pane follows at once.
        DeskFixtures.keys(desk, [.char("c")])
        DeskFixtures.type(desk, "disp")
        DeskFixtures.keys(desk, [.enter])
        #expect(try store.record(taken.id).callType == "billing.dispute")
        #expect(desk.state.open?.script?.callType == "billing.dispute")
        #expect(desk.state.open?.position?.current?.id == "greet")

        // s twice: greet and verify done; the next s asks the question.
        DeskFixtures.keys(desk, [.char("s"), .char("s")])
        #expect(desk.state.open?.position?.current?.id == "diagnose")
        DeskFixtures.keys(desk, [.char("s")])
        guard case .picker(let picker)? = desk.state.overlay else { Issue.record("no answer picker"); return }
        #expect(picker.items.map(\.id) == ["yes", "no"])
        DeskFixtures.keys(desk, [.enter])   // "yes" → refund
        #expect(desk.state.open?.position?.current?.id == "refund")
        #expect(desk.state.open?.position?.marks["explain"] == .skipped)

        // r: the refund response, filled in for this customer, goes to the timeline.
        DeskFixtures.keys(desk, [.char("r")])
        let sent = try store.detail(taken.id).events.last { $0.kind == .response }
        #expect(sent?.body?.hasPrefix("I've refunded the duplicate charge, Søren.") == true)
        #expect(sent?.field == "refund.refund")
        #expect(try store.record(taken.id).firstResponseAt != nil)

        // x: resolution code, then CSAT 5.
        DeskFixtures.keys(desk, [.char("x")])
        DeskFixtures.type(desk, "refund")
        DeskFixtures.keys(desk, [.enter])
        DeskFixtures.type(desk, "5")
        DeskFixtures.keys(desk, [.enter])
        let resolved = try store.record(taken.id)
        #expect(resolved.status == .resolved && resolved.resolutionCode == "refund_issued" && resolved.csat == 5)
        #expect(!desk.state.queue.rows.contains { $0.id == taken.id })
        let steps = try store.detail(taken.id).stepsDone.map(\.stepId)
        #expect(steps == ["greet", "verify", "diagnose"])
        // Handle time was recorded while the case was open.
        #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM work_intervals WHERE case_id = ?", arguments: [taken.id]) } == 1)
    }

    @Test func noteFlagConsultAndEditor() throws {
        let (desk, _, store) = try DeskFixtures.desk(cols: 160, rows: 45, editor: { "\($0) (edited)" })
        DeskFixtures.keys(desk, [.enter])
        let id = try #require(desk.state.open?.id)
        DeskFixtures.keys(desk, [.char("i")])
        DeskFixtures.type(desk, "called back, left voicemail")
        DeskFixtures.keys(desk, [.enter])
        DeskFixtures.keys(desk, [.char("!")])
        DeskFixtures.type(desk, "No refunds after 30 days")
        DeskFixtures.keys(desk, [.enter])
        DeskFixtures.keys(desk, [.char("E"), .enter])
        DeskFixtures.type(desk, "Can we waive the fee?")
        DeskFixtures.keys(desk, [.enter])
        DeskFixtures.keys(desk, [.tab, .tab, .char("e")])
        let kinds = try store.detail(id).events.map(\.kind)
        #expect(kinds.suffix(4) == [.note, .flag, .consult, .response])
        #expect(try store.detail(id).events.last?.body == "Which charge are you asking about? (edited)")
    }

    @Test func staleEditSaysWhoChangedTheCaseAndReloads() throws {
        let (desk, screen, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        DeskFixtures.keys(desk, [.enter])
        let id = try #require(desk.state.open?.id)
        try store.addNote(id, text: "lead was here", by: "dana")   // another desk's write
        DeskFixtures.keys(desk, [.char("i")])
        DeskFixtures.type(desk, "my note")
        DeskFixtures.keys(desk, [.enter])
        #expect(screen.text().contains("was changed by dana meanwhile"))
        #expect(try store.detail(id).events.last?.body == "lead was here")
        #expect(desk.state.open?.version == (try store.record(id).version))
    }

    @Test func reassignedAwayTellsTheAgent() throws {
        let (desk, screen, store) = try DeskFixtures.desk(cols: 160, rows: 45)
        DeskFixtures.keys(desk, [.enter])
        let id = try #require(desk.state.open?.id)
        try store.addUser(login: "bob", name: "Bob Okafor", role: .agent)
        try store.assign(id, to: "bob", by: "dana", reason: "billing specialist")
        desk.send(.dataChanged)
        #expect(screen.text().contains("case #\(id) was moved to bob by dana"))
        #expect(!desk.state.queue.rows.contains { $0.id == id })
    }

    @Test func queuePagesThroughManyCasesByKeyset() throws {
        let (desk, _, store) = try DeskFixtures.desk(cols: 100, rows: 20)
        try store.createCases((0..<500).map { NewCase(customer: "Customer \($0)", channel: .email, callType: "device.setup", subject: "Bulk \($0)") }, by: nil)
        DeskFixtures.keys(desk, [.char("/")])
        DeskFixtures.type(desk, "waiting")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.queue.view == .waiting)
        #expect(desk.state.queue.openCount == 503)
        var seen = Set<Int64>()
        for _ in 0..<60 {
            DeskFixtures.keys(desk, [.pageDown])
            if let row = desk.state.queue.selectedRow { seen.insert(row.id) }
        }
        #expect(desk.state.queue.selectedRow != nil)
        DeskFixtures.keys(desk, [.char("G")])
        let last = try #require(desk.state.queue.selectedRow)
        let all = try store.queuePage(QueueFilter(scope: .unassigned), limit: 1000)
        #expect(last.id == all.last?.id)
        DeskFixtures.keys(desk, [.char("g")])
        #expect(desk.state.queue.selectedRow?.id == all.first?.id)
    }

    @Test func helpIsGeneratedFromTheKeymap() {
        for pane in PaneContext.allCases {
            let hints = Keymap.hints(in: pane, unicode: true)
            for hint in hints { #expect(Keymap.bindings(in: pane).contains { $0.hint == hint.label }) }
        }
        #expect(Keymap.command(for: .enter, in: .queue) == .open)
        #expect(Keymap.command(for: .char("n"), in: .script) == .takeNext)
    }
}
