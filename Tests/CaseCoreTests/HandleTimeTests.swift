import Foundation
import GRDB
import Testing
@testable import CaseCore

@Suite struct HandleTimeTests {
    /// A desk killed before it first moved its interval's end (within 10 s of
    /// opening the case) is charged nothing more, not until the case is resolved.
    @Test func aDeskKilledBeforeItsFirstTouchIsNotChargedUntilResolution() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let (store, _) = try Fixtures.store(now: { clock.now })
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        #expect(try store.takeNext(as: "alice").id == id)
        _ = try store.startWork(id, by: "alice")
        clock.advance(3)       // killed here; nobody touches or stops the interval
        clock.advance(3600)
        #expect(try store.handleSeconds(id) == 0)
        try store.resolve(id, code: "fixed", csat: nil, by: "alice", expectedVersion: nil)
        let charged = try store.pool.read { db in
            try Double.fetchOne(db, sql: """
                SELECT sum(coalesce(w.ended_at, c.resolved_at) - w.started_at)
                FROM work_intervals w JOIN cases c ON c.id = w.case_id WHERE w.case_id = ?
                """, arguments: [id])
        }
        #expect(charged == 0)
    }
}
