import Foundation
import GRDB
import Testing
@testable import CaseCore

/// Take-nexts queued behind the writer holding the lock are claimed in its transaction,
/// in queue order, and a claim is only handed out once it is in the database.
@Suite struct ClaimCombiningTests {
    @Test func theWriterHoldingTheLockClaimsForTheTakeNextsQueuedBehindIt() throws {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "carol", name: "Carol Diaz", role: .agent, team: "Tier 1")
        let ids = try (0..<3).map { _ in try store.createCase(Fixtures.newCase(), by: "alice") }
        let holder = try #require(try CaseStore(path: path).writers)
        let first = try #require(holder.enter())

        // alice queues behind the holder, carol behind alice.
        let (alice, carol) = (try CaseStore(path: path), try CaseStore(path: path))
        let done = DispatchGroup()
        nonisolated(unsafe) var taken: [String: Int64] = [:]
        let lock = NSLock()
        for (login, s) in [("alice", alice), ("carol", carol)] {
            DispatchQueue.global().async(group: done) {
                let id = try? s.takeNext(as: login).id
                lock.withLock { taken[login] = id }
            }
            try waitForTicket(path, after: first, count: login == "alice" ? 1 : 2)
        }
        holder.leave(first)
        #expect(done.wait(timeout: .now() + 10) == .success)

        #expect(taken["alice"] == ids[0], "the first in the queue gets the most urgent case")
        #expect(taken["carol"] == ids[1])
        // carol's case was claimed by alice's transaction: it is recorded in carol's slot.
        #expect(holder.claims.served(first + 2)?.caseId == ids[1])
        #expect(try store.record(ids[1]).assignee == "carol")
        let assign = try store.detail(ids[1]).events.last
        #expect(assign?.kind == .assign && assign?.actor == "carol")
        #expect(try store.record(ids[2]).assignee == nil)
    }

    /// A claim recorded for a waiter that is not in the database (its writer was killed
    /// before the commit, or someone wrote the side file by hand) is never handed out: the
    /// waiter claims for itself.
    @Test func aClaimThatDidNotCommitIsNeverHandedOut() throws {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "carol", name: "Carol Diaz", role: .agent, team: "Tier 1")
        let ids = try (0..<3).map { _ in try store.createCase(Fixtures.newCase(), by: "alice") }
        #expect(try store.takeNext(as: "alice").id == ids[0])
        let alicesEvent = try #require(try store.detail(ids[0]).events.last?.id)

        for forged in [ClaimSlots.Served(caseId: ids[0], eventId: alicesEvent),        // someone else's claim
                       ClaimSlots.Served(caseId: ids[2], eventId: alicesEvent + 1000)] { // a claim never committed
            let holder = try #require(try CaseStore(path: path).writers)
            let first = try #require(holder.enter())
            let carol = try CaseStore(path: path)
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var got: Int64?
            DispatchQueue.global().async { got = try? carol.takeNext(as: "carol").id; done.signal() }
            try waitForTicket(path, after: first, count: 1)
            holder.claims.serve(first + 1, forged)
            holder.leave(first)
            #expect(done.wait(timeout: .now() + 10) == .success)
            #expect(got == ids[1], "carol claims the next case herself")
            #expect(try store.record(ids[0]).assignee == "alice")
            #expect(try store.record(ids[2]).assignee == nil)
            try store.assign(ids[1], to: nil, by: "dana")
        }
    }

    /// An agent in no team serves only cases filed to no team: take-next gives them one of
    /// those, or says nothing is waiting, never a refusal over another team's case.
    @Test func anAgentInNoTeamTakesACaseFiledToNoTeam() throws {
        let (store, _) = try Fixtures.store()
        try store.addUser(login: "tim", name: "Tim Novak", role: .agent)
        var teamed = Fixtures.newCase("Teamed"); teamed.team = "Tier 1"
        _ = try store.createCase(teamed, by: "dana")
        #expect(throws: CaseError.nothingToTake) { try store.takeNext(as: "tim") }
        let unteamed = try store.createCase(Fixtures.newCase("Nobody's"), by: "dana")
        #expect(try store.takeNext(as: "tim").id == unteamed)
    }

    @Test func aRequestIsPublishedOnlyWhenItFitsAndAServedClaimNeedsBothIds() throws {
        let (store, path) = try Fixtures.store()
        _ = store
        let queue = try #require(WriterQueue(databasePath: path))
        let slots = queue.claims
        slots.publish(7, .init(login: "alice", via: 3))
        #expect(slots.waiting(7) == .init(ticket: 7, request: .init(login: "alice", via: 3)))
        #expect(slots.waiting(7 + ClaimSlots.records) == nil, "another ticket's record is not this one's")
        slots.publish(8, nil)
        #expect(slots.waiting(8) == nil, "a write that is not a take-next")
        slots.publish(9, .init(login: String(repeating: "x", count: ClaimSlots.loginBytes + 1), via: nil))
        #expect(slots.waiting(9) == nil, "a login too long to publish claims for itself")
        slots.serve(7, .init(caseId: 5, eventId: 0))
        #expect(slots.served(7) == nil)
        slots.serve(7, .init(caseId: 5, eventId: 11))
        #expect(slots.served(7) == .init(caseId: 5, eventId: 11))
        #expect(slots.waiting(7) == nil, "a served request is not served again")
    }

    /// A counter far ahead of a ticket (the side file written by hand) does not make the
    /// writer holding the lock walk every ticket in between.
    @Test func theWalkForWaitingClaimsIsBoundedByTheRecords() throws {
        let (_, path) = try Fixtures.store()
        let queue = try #require(WriterQueue(databasePath: path))
        let handle = try #require(FileHandle(forWritingAtPath: path + "-writers"))
        try handle.write(contentsOf: withUnsafeBytes(of: Int64(1_000_000_000_000).littleEndian) { Data($0) })
        try handle.close()
        queue.claims.publish(7, .init(login: "alice", via: nil))
        let started = Date()
        #expect(queue.waitingClaims(after: 6, limit: 32).map(\.ticket) == [7])
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// Waits until `count` more tickets than `first` + 1 have been handed out.
    private func waitForTicket(_ path: String, after first: Int64, count: Int64) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let handle = try #require(FileHandle(forReadingAtPath: path + "-writers"))
            let data = try handle.read(upToCount: 8) ?? Data()
            try handle.close()
            let next = data.count == 8 ? data.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } : 0
            if next >= first + 1 + count { return }
            usleep(1_000)
        }
        Issue.record("no ticket was taken within 10 s")
    }
}
