import Foundation
import GRDB
import Testing
@testable import CaseCore

@Suite struct CaseStoreTests {
    /// A file counts as open in this process only while a store has it open: files are
    /// known by inode, and the inode of a deleted database goes to the next new file, which
    /// must still have its header checked (a damaged file was once taken for an open one and
    /// opened through its WAL, so a restore folded that WAL away instead of keeping it).
    @Test func aFileIsOpenHereOnlyWhileAStoreHasItOpen() throws {
        let (store, path) = try Fixtures.store()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        #expect(CaseStore.openHere.contains(path))
        let second = try CaseStore(path: path)
        try store.checkpointAndClose()
        #expect(CaseStore.openHere.contains(path), "the second store still has it open")
        try second.checkpointAndClose()
        #expect(!CaseStore.openHere.contains(path))
        // Closed, then the same inode holds something else: its header is read again.
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: CaseError.notADatabase(path)) { try CaseStore(path: path) }
    }

    @Test func createComputesDueFromCallTypeSLA() throws {
        let (store, _) = try Fixtures.store()
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        var new = Fixtures.newCase(); new.createdAt = created
        let id = try store.createCase(new, by: "alice")
        let r = try store.record(id)
        #expect(r.status == .new)
        #expect(r.priority == .p2)
        #expect(r.dueAt == created.addingTimeInterval(240 * 60))
        #expect(r.version == 1)
        #expect(try store.detail(id).events.map(\.kind) == [.created])
    }

    @Test func dueTimeCountsOnlyBusinessHours() {
        // Monday to Friday 09:00–17:00 UTC; 2023-11-17 is a Friday.
        let hours = BusinessHours(timeZone: "UTC", days: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, .init(openMinute: 540, closeMinute: 1020)) }))
        let cal = BusinessCalendar(hours)
        let friday4pm = ISO8601DateFormatter().date(from: "2023-11-17T16:00:00Z")!
        let due = cal.add(minutes: 120, to: friday4pm)
        #expect(due == ISO8601DateFormatter().date(from: "2023-11-20T10:00:00Z")!)
        #expect(cal.businessSeconds(from: friday4pm, to: due) == 7200)
    }

    @Test func staleVersionFailsWithConflictNamingTheWinner() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        let seen = try store.record(id).version
        try store.addNote(id, text: "first", by: "alice", expectedVersion: seen)
        #expect(throws: CaseError.conflict(caseId: id, by: "alice", version: seen + 1)) {
            try store.addNote(id, text: "second", by: "bob", expectedVersion: seen)
        }
        let notes = try store.detail(id).events.filter { $0.kind == .note }.compactMap(\.body)
        #expect(notes == ["first"])
    }

    @Test func agentCannotReassignAnotherAgentsCase() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        try store.assign(id, to: "alice", by: "dana")
        #expect(throws: CaseError.self) { try store.assign(id, to: "bob", by: "bob") }
        #expect(try store.record(id).assignee == "alice")
        // The owner may hand it on; a lead may move anything.
        try store.assign(id, to: "bob", by: "alice", reason: "device question")
        try store.assign(id, to: "alice", by: "dana", reason: "back")
        let moves = try store.detail(id).events.filter { $0.kind == .assign }
        #expect(moves.map(\.newValue) == ["alice", "bob", "alice"])
        #expect(moves.last?.body == "back")
    }

    @Test func eventsCannotBeUpdatedOrDeleted() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in try db.execute(sql: "UPDATE events SET body = 'rewritten' WHERE case_id = ?", arguments: [id]) }
        }
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in try db.execute(sql: "DELETE FROM events WHERE case_id = ?", arguments: [id]) }
        }
        #expect(try store.detail(id).events.count == 1)
    }

    @Test func newerSchemaIsRefused() throws {
        let (store, path) = try Fixtures.store()
        try store.pool.write { db in try db.execute(sql: "PRAGMA user_version = 99") }
        try store.pool.close()
        #expect(throws: CaseError.schemaTooNew(found: 99, supported: Schema.version)) { _ = try CaseStore(path: path) }
    }

    @Test func corruptFileIsRefusedAndLeftAlone() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID()).sqlite").path
        let garbage = Data("this is not a database at all, just some text".utf8)
        FileManager.default.createFile(atPath: path, contents: garbage)
        #expect(throws: CaseError.notADatabase(path)) { _ = try CaseStore(path: path) }
        #expect(FileManager.default.contents(atPath: path) == garbage)
    }

    @Test func takeNextFollowsPriorityDueAndSkills() throws {
        let (store, _) = try Fixtures.store()
        let low = try store.createCase(Fixtures.newCase("setup", callType: "device.setup"), by: nil)
        let urgent = try store.createCase(Fixtures.newCase("urgent", priority: .p1), by: nil)
        let normal = try store.createCase(Fixtures.newCase("normal"), by: nil)
        #expect(try store.takeNext(as: "alice").id == urgent)
        // bob handles only device.*: the billing case is not his.
        #expect(try store.takeNext(as: "bob").id == low)
        #expect(throws: CaseError.nothingToTake) { try store.takeNext(as: "bob") }
        let taken = try store.takeNext(as: "alice")
        #expect(taken.id == normal && taken.status == .open && taken.assignee == "alice")
    }

    @Test func queuePagesWalkTheIndexWithoutGapsOrRepeats() throws {
        let (store, _) = try Fixtures.store()
        let cases = (0..<57).map { i in Fixtures.newCase("case \(i)", priority: Priority(rawValue: i % 4 + 1)) }
        try store.createCases(cases, by: nil)
        var seen: [Int64] = []
        var cursor: QueueCursor?
        repeat {
            let page = try store.queuePage(QueueFilter(scope: .all), .after(cursor), limit: 10)
            seen += page.map(\.id)
            cursor = page.last?.cursor
            if page.count < 10 { break }
        } while true
        #expect(seen.count == 57 && Set(seen).count == 57)
        let all = try store.queuePage(QueueFilter(scope: .all), limit: 100)
        #expect(all.map(\.id) == seen)
        #expect(all.map(\.priority) == all.map(\.priority).sorted())
        // Paging back from the third page gives the second.
        let second = Array(all[10..<20]), third = all[20]
        #expect(try store.queuePage(QueueFilter(scope: .all), .before(third.cursor), limit: 10) == second)
        for scope in [QueueScope.unassigned, .assignee(1), .team(1), .callType("billing.dispute")] {
            _ = try store.queuePage(QueueFilter(scope: scope), limit: 5)
        }
        #expect(try store.queueCounts(.unassigned, riskBefore: .distantFuture) == (57, 57))
    }

    @Test func resolveNeedsAKnownCodeAndTheOwner() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        try store.assign(id, to: "alice", by: "dana")
        #expect(throws: CaseError.noSuchResolutionCode("nope")) { try store.resolve(id, code: "nope", by: "alice") }
        #expect(throws: CaseError.self) { try store.resolve(id, code: "fixed", by: "bob") }
        #expect(throws: CaseError.self) { try store.resolve(id, code: "fixed", csat: 9, by: "alice") }
        try store.resolve(id, code: "refund_issued", csat: 5, by: "alice")
        let r = try store.record(id)
        #expect(r.status == .resolved && r.resolutionCode == "refund_issued" && r.csat == 5 && r.resolvedAt != nil)
    }

    @Test func responsesFillPlaceholdersAndStopTheFirstResponseClock() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(customer: "李娜"), by: nil)
        let (full, text) = try #require(try ResponseFiller.filled(store: store, caseId: id, responseId: "greet.hello", agent: "alice"))
        #expect(text == "Hello 李娜, this is Alice Martin about case \(id).")
        #expect(full == "greet.hello")
        // The short form finds the same response and gives the one recorded form.
        #expect(try ResponseFiller.filled(store: store, caseId: id, responseId: "hello", agent: "alice")?.id == "greet.hello")
        // A training branch written either way matches a timeline written either way.
        #expect(ResponseFiller.sameResponse("greet.hello", "hello") && ResponseFiller.sameResponse("hello", "greet.hello"))
        #expect(!ResponseFiller.sameResponse("greet.hello", "close.hello") && !ResponseFiller.sameResponse("greet.hello", "lo"))
        try store.sendResponse(id, text: text, responseId: "greet.hello", by: "alice")
        #expect(try store.record(id).firstResponseAt != nil)
    }

    @Test func scriptPositionFollowsAnswers() throws {
        let script = Fixtures.pack.scripts[0]
        var pos = ScriptRunner.position(of: script, done: [])
        #expect(pos.current?.id == "greet")
        pos = ScriptRunner.position(of: script, done: [.init(stepId: "greet"), .init(stepId: "verify"), .init(stepId: "diagnose", answer: "no")])
        #expect(pos.current?.id == "explain")
        #expect(pos.marks["refund"] == .skipped)
        pos = ScriptRunner.position(of: script, done: [.init(stepId: "greet"), .init(stepId: "verify"), .init(stepId: "diagnose", answer: "yes"),
                                                       .init(stepId: "refund")])
        #expect(pos.current?.id == "close")
        #expect(pos.marks["explain"] == .skipped)
    }

    @Test func aWorkIntervalEndsAtItsLastTouchWhenTheDeskDies() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let (store, _) = try Fixtures.store(now: { clock.now })
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        let interval = try store.startWork(id, by: "alice")
        clock.advance(10); try store.touchWork(interval)
        clock.advance(10); try store.touchWork(interval)
        clock.advance(3600)   // the desk was killed; nobody stops the interval
        #expect(try store.handleSeconds(id) == 20)
        let second = try store.startWork(id, by: "alice")
        clock.advance(5); try store.stopWork(second)
        #expect(try store.handleSeconds(id) == 25)
    }

    @Test func childCallTypeFallsBackToParentScript() throws {
        let (store, _) = try Fixtures.store()
        #expect(try store.script(for: "billing.dispute")?.steps.count == 6)
        #expect(try store.script(for: "billing.dispute.other") != nil)
        #expect(try store.script(for: "device.setup") == nil)
    }
}

extension StepProgress {
    init(stepId: String) { self.init(stepId: stepId, answer: nil) }
}
