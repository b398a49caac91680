import Foundation
import GRDB
import Testing
@testable import CaseCore

/// Commits do not pay for WAL checkpoints, and writers take the lock in turn.
@Suite struct WriteLockTests {
    @Test func checkpointsRunOnABackgroundConnectionNotOnTheCommit() throws {
        let (store, path) = try Fixtures.store()
        #expect(try store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 0)
        let id = try store.createCase(Fixtures.newCase(), by: "alice")
        let before = store.checkpointer.completed
        // About 1,500 pages of WAL: past the threshold, so a background checkpoint must follow.
        let note = String(repeating: "a long note to fill pages ", count: 200)
        for _ in 0..<300 { try store.addNote(id, text: note, by: "alice") }
        let deadline = Date().addingTimeInterval(10)
        while store.checkpointer.completed == before, Date() < deadline { usleep(10_000) }
        #expect(store.checkpointer.completed > before)
        #expect(try DatabaseDoctor.check(path: path).healthy)
    }

    /// Statement journals stay in memory on the writer: spilled, each cost a temporary file
    /// (about one take-next in three opened, wrote and unlinked one).
    @Test func theWriterKeepsItsStatementJournalsInMemory() throws {
        let (store, _) = try Fixtures.store()
        #expect(try store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") } == 2)
    }

    @Test func writersInOneProcessTakeTurnsThroughTheQueue() throws {
        let (store, path) = try Fixtures.store()
        let other = try CaseStore(path: path)
        let queue = try #require(store.writers)
        let ticket = try #require(queue.enter())
        // Another store (its own open file) must now wait until this one leaves.
        let entered = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? other.setSetting("queue-test", "second")
            entered.signal()
        }
        #expect(entered.wait(timeout: .now() + 0.3) == .timedOut)
        queue.leave(ticket)
        #expect(entered.wait(timeout: .now() + 5) == .success)
        #expect(try store.setting("queue-test") == "second")
    }
}
