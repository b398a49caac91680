import Foundation
import GRDB
import Testing
@testable import CaseCore

/// The demo tells the truth: `casedesk doctor`'s consistency checks pass, pauses and CSAT
/// after resolution are there, and the overlap cutter keeps every piece inside its interval.
@Suite struct DemoTruthTests {
    @Test func demoPassesTheConsistencyChecks() throws {
        let (store, _, dir) = try DemoDataTests.populated()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try DatabaseDoctor.check(path: store.path)
        let consistency = report.lines.filter { $0.hasPrefix("consistency:") }
        #expect(consistency.count == 6)
        #expect(consistency.allSatisfy { $0.hasSuffix(": none") }, "\(consistency)")
        #expect(report.healthy)
        let (paused, resumed, later) = try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE sla_paused_at IS NOT NULL") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE sla_paused_seconds > 0") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE csat_at > resolved_at") ?? 0)
        }
        // Pending on the customer with a call type that pauses: some paused now, some resumed.
        #expect(paused > 0 && resumed > 0)
        // CSAT answers arrive after the resolution.
        #expect(later > 0)
        // Some low scores carry the customer's words, so the lead board's alert shows one.
        let alerts = try store.board(for: "dana").csatAlerts
        #expect(alerts.contains { $0.score <= 2 && !($0.comment ?? "").isEmpty }, "\(alerts)")
        let (low, commented) = try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE csat <= 2") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE csat <= 2 AND csat_comment IS NOT NULL") ?? 0)
        }
        #expect(commented > 0 && commented < low, "some low scores, not all, have a comment")
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE csat > 2 AND csat_comment IS NOT NULL") } == 0)
        // Quality reviews by two scorers (dana and tess) on the same cases, with some spread.
        let reviewed = try store.read { db in
            try Int64.fetchAll(db, sql: "SELECT case_id FROM qa_reviews GROUP BY case_id HAVING count(DISTINCT scorer_id) = 2")
        }
        #expect(reviewed.count >= 10)
        let spreads = try reviewed.map { try store.qaCalibration(case: $0, as: "dana").rows.compactMap(\.spread).max() ?? 0 }
        #expect(spreads.contains(0) && spreads.contains(1), "some cases scored alike, some apart")
    }

    @Test func doctorFindsImpossibleWork() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_752_660_000))
        let (store, _) = try Fixtures.store(now: { clock.now })
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        try store.assign(id, to: "alice", by: "dana")
        clock.advance(600)   // resolved ten minutes after it was created
        try store.resolve(id, code: "fixed", by: "alice")
        let alice = try store.user(login: "alice").id
        let r = try store.record(id)
        try store.pool.write { db in
            let t = r.resolvedAt!.timeIntervalSince1970
            // One interval after the resolution; two of alice's overlapping.
            try db.execute(sql: "INSERT INTO work_intervals(case_id, user_id, started_at, ended_at) VALUES (?,?,?,?)",
                           arguments: [id, alice, t + 60, t + 120])
            try db.execute(sql: "INSERT INTO work_intervals(case_id, user_id, started_at, ended_at) VALUES (?,?,?,?)",
                           arguments: [id, alice, t - 50, t - 10])
            try db.execute(sql: "INSERT INTO work_intervals(case_id, user_id, started_at, ended_at) VALUES (?,?,?,?)",
                           arguments: [id, alice, t - 40, t - 20])
        }
        let report = try DatabaseDoctor.check(path: store.path)
        #expect(!report.healthy)
        #expect(report.lines.contains("consistency: work intervals outside their case's life: 1"))
        #expect(report.lines.contains("consistency: work intervals overlapping another of the same agent: 1"))
    }

    @Test func doctorFindsCSATDatedAfterNow() throws {
        // A survey answer written straight into the file, dated a day after the doctor's now.
        let clock = TestClock(Date(timeIntervalSince1970: 1_752_660_000))
        let (store, _) = try Fixtures.store(now: { clock.now })
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        try store.assign(id, to: "alice", by: "dana")
        try store.resolve(id, code: "fixed", by: "alice")
        let clean = try DatabaseDoctor.check(path: store.path, now: clock.now)
        #expect(clean.lines.contains("consistency: CSAT answers dated after now: none"))
        try store.pool.write { db in
            try db.execute(sql: "UPDATE cases SET csat = 1, csat_at = ? WHERE id = ?", arguments: [clock.now.timeIntervalSince1970 + 86400, id])
        }
        let report = try DatabaseDoctor.check(path: store.path, now: clock.now)
        #expect(!report.healthy)
        #expect(report.lines.contains("consistency: CSAT answers dated after now: 1"))
        // A day later the answer is in the past and the check is clean again.
        #expect(try DatabaseDoctor.check(path: store.path, now: clock.now.addingTimeInterval(2 * 86400)).healthy)
    }

    @Test func overlappingWorkIsCutAndResumed() {
        // Agent 1: case 1 from 0 to 100, interrupted by case 2 from 30 to 50 and case 3 from 40 (still open).
        // Case 1 runs 0–30; case 2 runs 30–40 (case 3 starts); case 3 runs from 40 on and never ends,
        // so the rest of cases 1 and 2 cannot resume. Agent 2 is untouched.
        let cut = DemoClock.oneAtATime([
            .init(caseId: 1, agent: 1, start: 0, end: 100),
            .init(caseId: 2, agent: 1, start: 30, end: 50),
            .init(caseId: 4, agent: 2, start: 10, end: 20),
        ])
        // Case 1 stops at 30, case 2 runs 30–50, then case 1 resumes 50–100.
        #expect(cut == [.init(caseId: 1, agent: 1, start: 0, end: 30), .init(caseId: 4, agent: 2, start: 10, end: 20),
                        .init(caseId: 2, agent: 1, start: 30, end: 50), .init(caseId: 1, agent: 1, start: 50, end: 100)])
        let open = DemoClock.oneAtATime([
            .init(caseId: 1, agent: 1, start: 0, end: 100),
            .init(caseId: 3, agent: 1, start: 40, end: nil),
        ])
        #expect(open == [.init(caseId: 1, agent: 1, start: 0, end: 40), .init(caseId: 3, agent: 1, start: 40, end: nil)])
    }
}
