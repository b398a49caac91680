@testable import CaseCore
@testable import CaseDesk
import Foundation
import Testing

/// `DeskUpdate.update` alone: messages in, state and effects out. No SQLite, no
/// screen — the states and rows are made here.
@Suite struct DeskUpdateTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let alice = User(id: 1, login: "alice", name: "Alice Martin", role: .agent, teamId: 1, team: "Tier 1",
                            department: "", skills: [])
    static let dana = User(id: 2, login: "dana", name: "Dana Lee", role: .lead, teamId: 1, team: "Tier 1",
                           department: "", skills: [])

    static func row(_ id: Int64, priority: Priority = .p3, dueIn hours: Double = 4) -> QueueRow {
        QueueRow(id: id, priority: priority, dueAt: now.addingTimeInterval(hours * 3600), createdAt: now.addingTimeInterval(-3600),
                 status: .open, customer: "Customer \(id)", callType: "billing", channel: .phone, subject: "Case \(id)",
                 assignee: "alice", slaPausedAt: nil)
    }

    static func detail(_ id: Int64, version: Int = 3, assignee: User? = alice) -> CaseDetail {
        let record = CaseRecord(id: id, customerId: 7, channel: .phone, callType: "billing", subject: "Case \(id)", status: .open,
                                priority: .p3, assigneeId: assignee?.id, assignee: assignee?.login, teamId: 1,
                                createdAt: now.addingTimeInterval(-3600), firstResponseAt: nil, dueAt: now.addingTimeInterval(4 * 3600),
                                slaPausedAt: nil, slaPausedSeconds: 0, resolvedAt: nil, resolutionCode: nil, csat: nil,
                                selfService: false, version: version, updatedAt: now, updatedBy: "alice")
        let customer = Customer(id: 7, name: "Oda Ren", email: nil, phone: nil, account: nil, language: nil)
        let created = CaseEvent(id: 1, caseId: id, at: now.addingTimeInterval(-3600), actor: nil, kind: .created,
                                channel: "phone", field: nil, oldValue: nil, newValue: nil, body: "Case \(id)")
        return CaseDetail(record: record, customer: customer, events: [created], stepsDone: [])
    }

    static func state(_ me: User = alice, rows: Int = 0) -> DeskState {
        var s = DeskState(me: me, size: ScreenSize(cols: 160, rows: 45), now: now)
        if rows > 0 {
            _ = DeskUpdate.update(&s, .queueLoaded(QueuePage(view: .mine, request: .first, rows: (1...Int64(rows)).map { row($0) },
                                                             counts: QueueCounts(view: .mine, open: rows, atRisk: 0), full: false)))
        }
        return s
    }

    /// A state with case `id` open (loaded as the worker would answer `.loadCase`).
    static func withOpenCase(_ id: Int64 = 1) -> DeskState {
        var s = state(rows: 3)
        _ = DeskUpdate.update(&s, .caseLoaded(detail(id), nil))
        return s
    }

    // MARK: opening a case

    @Test func enterOnARowAsksForTheCaseAndItsArrivalStartsTheWorkInterval() {
        var s = Self.state(rows: 3)
        #expect(DeskUpdate.update(&s, .key(.down)) == [])
        #expect(s.queue.selected == 1)
        #expect(DeskUpdate.update(&s, .key(.enter)) == [.loadCase(2)])
        #expect(s.open == nil, "nothing shows until the case is read")

        let effects = DeskUpdate.update(&s, .caseLoaded(Self.detail(2), nil))
        #expect(s.open?.id == 2)
        #expect(effects == [.startWork(caseId: 2)], "my own open case starts the handle-time interval")

        // The same case again (after a save): no second interval.
        #expect(DeskUpdate.update(&s, .caseLoaded(Self.detail(2, version: 4), nil)) == [])
        #expect(s.open?.version == 4)
    }

    @Test func aCaseTakenAwayWhileOpenSaysWhoAndStopsTheInterval() {
        var s = Self.withOpenCase(1)
        var moved = Self.detail(1, version: 4, assignee: Self.dana)
        moved.record.updatedBy = "dana"
        #expect(DeskUpdate.update(&s, .caseLoaded(moved, nil)) == [.stopWork])
        #expect(s.notice == Notice(text: "case #1 was moved to dana by dana: it is no longer yours", isError: true))
    }

    @Test func aCaseThatIsGoneIsSaidAndNotOpened() {
        var s = Self.state(rows: 1)
        #expect(DeskUpdate.update(&s, .caseGone(99)) == [])
        #expect(s.notice == Notice(text: "no case #99", isError: true))
        #expect(s.open == nil)
    }

    // MARK: a save, waiting and then done

    @Test func aNoteIsAWriteAtTheVersionOnScreenAndItsResultReReadsTheCase() {
        var s = Self.withOpenCase(1)
        #expect(DeskUpdate.update(&s, .key(.char("i"))) == [])
        guard case .input(let input)? = s.overlay else { Issue.record("no note prompt"); return }
        #expect(input.purpose == .note)
        for c in "called back" { _ = DeskUpdate.update(&s, .key(.char(c))) }
        #expect(DeskUpdate.update(&s, .key(.enter)) == [.note(caseId: 1, text: "called back", version: 3)])
        #expect(s.overlay == nil)

        // While the write waits, keys still move (the runtime sets `saving`; update never clears it).
        s.saving = true
        _ = DeskUpdate.update(&s, .key(.down))
        #expect(s.saving && s.queue.selected == 1)

        // The worker answers: saved, and something changed.
        #expect(DeskUpdate.update(&s, .succeeded("note added")) == [])
        #expect(s.notice == Notice(text: "note added", isError: false))
        #expect(DeskUpdate.update(&s, .dataChanged) == [.readFeed])
        let event = CaseEvent(id: 9, caseId: 1, at: Self.now, actor: "alice", kind: .note, channel: nil, field: nil,
                              oldValue: nil, newValue: nil, body: "called back")
        let effects = DeskUpdate.update(&s, .feed([event]))
        #expect(effects.contains(.loadCase(1)), "the open case is read again")
        #expect(effects.contains { if case .loadQueue(.mine, .first, _) = $0 { true } else { false } }, "and the queue from its top row")
    }

    @Test func anEmptyFeedAsksForNothing() {
        var s = Self.withOpenCase(1)
        #expect(DeskUpdate.update(&s, .feed([])) == [])
    }

    // MARK: conflicts

    @Test func aConflictOffersToApplyTheChangeAgainAtTheNewVersion() {
        var s = Self.withOpenCase(1)
        let refused = Effect.note(caseId: 1, text: "called back", version: 3)
        #expect(DeskUpdate.update(&s, .conflict("case #1 changed since you read it — dana: note", retry: refused)) == [])
        #expect(s.notice?.isError == true)
        guard case .picker(let picker)? = s.overlay else { Issue.record("no conflict picker"); return }
        #expect(picker.purpose == .conflict)
        #expect(picker.items.map(\.id) == ["apply", "drop"])

        // The case as it now is arrives, then the user applies the change.
        _ = DeskUpdate.update(&s, .caseLoaded(Self.detail(1, version: 5), nil))
        #expect(DeskUpdate.update(&s, .key(.enter)) == [.note(caseId: 1, text: "called back", version: 5)])
        #expect(s.retry == nil && s.overlay == nil)
    }

    @Test func aDroppedConflictWritesNothing() {
        var s = Self.withOpenCase(1)
        _ = DeskUpdate.update(&s, .conflict("changed", retry: .note(caseId: 1, text: "x", version: 3)))
        _ = DeskUpdate.update(&s, .key(.down))
        #expect(DeskUpdate.update(&s, .key(.enter)) == [])
        #expect(s.notice == Notice(text: "your change was dropped", isError: false))
        #expect(s.retry == nil)
    }

    // MARK: refusals

    @Test func aRefusalIsSaidAsAnErrorAndChangesNothingElse() {
        var s = Self.withOpenCase(1)
        let before = s
        #expect(DeskUpdate.update(&s, .failed("alice may not resolve case #1")) == [])
        #expect(s.notice == Notice(text: "alice may not resolve case #1", isError: true))
        s.notice = nil
        #expect(s == before)
    }

    @Test func leadKeysAreRefusedToAnAgentWithoutAWrite() {
        var s = Self.state(rows: 2)
        #expect(DeskUpdate.update(&s, .key(.char("L"))) == [])
        #expect(s.mode == .desk)
        var lead = Self.state(Self.dana, rows: 2)
        #expect(DeskUpdate.update(&lead, .key(.char("L"))) == [.loadBoard])
        #expect(lead.mode == .board)
    }

    @Test func whoMayReassignOthersIsPolicysAnswer() {
        var admin = Self.dana; admin.role = .admin
        var trainer = Self.dana; trainer.role = .trainer
        var disabled = Self.dana; disabled.active = false
        #expect(Policy.reach(Self.alice, .reassign) == .own)
        #expect(Policy.reach(Self.dana, .reassign) == .team)
        #expect(Policy.reach(disabled, .reassign) == nil)
        #expect(Policy.reach(Self.alice, .viewBoard) == nil)
        for (user, may) in [(Self.alice, false), (Self.dana, true), (admin, true), (trainer, false), (disabled, false)] {
            var s = Self.state(user, rows: 2)
            #expect(s.mayReassignOthers == may, "\(user.role)")
            let effects = LiveUpdate.boardCommand(&s, .assign)
            #expect(effects == [])
            if may {
                guard case .picker(let picker)? = s.overlay else { Issue.record("no agent picker for \(user.role)"); continue }
                #expect(picker.purpose == .assignTo(ids: [1]))
            } else {
                #expect(s.overlay == nil)
                #expect(s.notice?.isError == true)
            }
        }
    }

    @Test func caseKeysWithoutAnOpenCaseSaySo() {
        var s = Self.state(rows: 2)
        #expect(DeskUpdate.update(&s, .key(.char("r"))) == [])
        #expect(s.notice?.text.hasPrefix("open a case first") == true)
    }

    // MARK: paging

    @Test func movingNearTheEndOfTheWindowReadsTheNextPageOnce() {
        var s = Self.state()
        let rows = (1...100).map { Self.row(Int64($0)) }
        _ = DeskUpdate.update(&s, .queueLoaded(QueuePage(view: .mine, request: .first, rows: rows, counts: nil, full: true)))
        #expect(s.queue.moreAfter)
        let visible = DeskLayout(s.size).queueRows
        var asked: [Effect] = []
        for _ in 0..<(100 - visible) { asked += DeskUpdate.update(&s, .key(.down)) }
        #expect(asked.count == 1)
        #expect(asked.allSatisfy { $0 == .loadQueue(.mine, .after(rows[99].cursor), limit: QueueWindow.pageSize(s)) })

        // The page arrives: appended, the selection stays on the same row.
        let selectedId = s.queue.selectedRow?.id
        let next = (101...200).map { Self.row(Int64($0)) }
        _ = DeskUpdate.update(&s, .queueLoaded(QueuePage(view: .mine, request: .after(rows[99].cursor), rows: next, counts: nil, full: false)))
        #expect(s.queue.rows.count == 200)
        #expect(s.queue.selectedRow?.id == selectedId)
        #expect(!s.queue.moreAfter)
    }

    @Test func theWindowKeepsAtMostItsLimitAndDropsFromTheFarEnd() {
        var s = Self.state()
        var rows = (1...Int64(QueueWindow.windowLimit)).map { Self.row($0) }
        _ = DeskUpdate.update(&s, .queueLoaded(QueuePage(view: .mine, request: .first, rows: rows, counts: nil, full: true)))
        for _ in 0..<(rows.count - 1) { _ = DeskUpdate.update(&s, .key(.down)) }
        #expect(s.queue.selected == rows.count - 1)
        let more = (401...450).map { Self.row(Int64($0)) }
        _ = DeskUpdate.update(&s, .queueLoaded(QueuePage(view: .mine, request: .after(rows.last!.cursor), rows: more, counts: nil, full: true)))
        rows = Array((rows + more).suffix(QueueWindow.windowLimit))
        #expect(s.queue.rows == rows)
        #expect(s.queue.moreBefore && s.queue.moreAfter)
        #expect(s.queue.selectedRow?.id == 400, "the selection follows its row when rows are dropped before it")
        #expect(s.queue.top <= s.queue.selected && s.queue.selected < s.queue.top + DeskLayout(s.size).queueRows)
    }

    @Test func aPageForAnotherViewIsIgnored() {
        var s = Self.state(rows: 3)
        let before = s
        _ = DeskUpdate.update(&s, .queueLoaded(QueuePage(view: .waiting, request: .first, rows: [Self.row(9)], counts: nil, full: false)))
        #expect(s == before)
    }

    @Test func pageDownMovesAScreenAndGoesNoFurtherThanTheLastRow() {
        var s = Self.state(rows: 60)
        let visible = DeskLayout(s.size).queueRows
        #expect(DeskUpdate.update(&s, .key(.pageDown)) == [])
        #expect(s.queue.selected == visible)
        _ = DeskUpdate.update(&s, .key(.pageDown))
        #expect(s.queue.selected == 59)
        #expect(s.queue.top == 60 - visible)
        _ = DeskUpdate.update(&s, .key(.pageUp))
        #expect(s.queue.selected == 59 - visible)
    }
}

/// A move redraws only what changed, and what it leaves on screen is what a full draw gives.
@Suite struct QueueLineRedrawTests {
    @Test func aMoveWithinTheWindowRedrawsOnlyTheTwoLinesItChanges() {
        var s = DeskUpdateTests.state(rows: 100)
        let screen = VirtualScreen(cols: 160, rows: 45)
        DeskView.render(s, on: screen)
        let previous = s
        _ = DeskUpdate.update(&s, .key(.down))
        // A mark on a line the move does not touch (row 5 of the pane) must survive.
        let r = DeskLayout(s.size).rect(.queue)
        screen.put("#", x: r.x + 1, y: r.y + 5)
        #expect(PartialRedraw.render(s, previous: previous, on: screen))
        #expect(screen.cell(x: r.x + 1, y: r.y + 5).text == "#")
        let full = VirtualScreen(cols: 160, rows: 45)
        DeskView.render(s, on: full)
        for y in [r.y + 1, r.y + 2] {
            #expect(screen.styledRow(y) == full.styledRow(y), "line \(y)")
        }
    }

    @Test func scrollingAndPagingLeaveWhatAFullDrawGives() {
        var s = DeskUpdateTests.state(rows: 150)
        let screen = VirtualScreen(cols: 160, rows: 45)
        DeskView.render(s, on: screen)
        let keys: [Key] = Array(repeating: .down, count: 50) + [.pageDown, .pageDown, .up, .pageUp, .char("G"), .char("g")]
        for key in keys {
            let previous = s
            _ = DeskUpdate.update(&s, .key(key))
            if !PartialRedraw.render(s, previous: previous, on: screen) { DeskView.render(s, on: screen) }
            let full = VirtualScreen(cols: 160, rows: 45)
            DeskView.render(s, on: full)
            #expect(screen.text() == full.text(), "after \(key), selected \(s.queue.selected)")
            #expect(screen.colorMap() == full.colorMap(), "after \(key)")
        }
    }
}
