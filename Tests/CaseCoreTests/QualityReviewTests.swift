import Foundation
import GRDB
import Testing
@testable import CaseCore

/// Quality reviews against a scorecard: bad input refused with nothing written, calibration
/// spread and the per-agent report worked out by hand, and who sees which reviews.
@Suite struct QualityReviewTests {
    /// Weights 50 (greeting), 30 (resolution), 20 (notes): the scorecard "qa".
    static func store(_ clock: TestClock = TestClock(ReportTests.at(7, 10, 0))) throws -> (CaseStore, Int64, Int64) {
        let (store, _) = try Fixtures.store(now: { clock.now })
        var pack = Fixtures.pack
        pack.scorecards = [Scorecard(id: "qa", name: "QA", criteria: [
            ScorecardCriterion(id: "greeting", text: "Greeting", weight: 50),
            ScorecardCriterion(id: "resolution", text: "Resolution", weight: 30),
            ScorecardCriterion(id: "notes", text: "Notes", weight: 20)])]
        try store.install(pack)
        try store.addUser(login: "tess", name: "Tess Lindqvist", role: .trainer)
        let resolved = try store.createCase(Fixtures.newCase(), by: nil)
        try store.assign(resolved, to: "alice", by: "dana")
        try store.resolve(resolved, code: "fixed", by: "alice")
        let open = try store.createCase(Fixtures.newCase(), by: nil)
        return (store, resolved, open)
    }

    @Test func retentionPurgesAReviewedCaseWithItsScores() throws {
        let clock = TestClock(ReportTests.at(7, 10, 0))
        let (store, resolved, open) = try Self.store(clock)
        try store.qaReview(resolved, as: "dana", scores: ["greeting": 1, "resolution": 1, "notes": nil], note: "fine")
        try store.addUser(login: "root2", role: .admin)
        clock.advance(400 * 86_400)
        let report = try store.runRetention(period: RetentionPeriod("1y"), dryRun: false, by: "root2")
        #expect(report.cases == 1)
        let left = try store.read { db in
            try ["qa_reviews", "qa_scores", "events"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1 }
        }
        #expect(left[0] == 0 && left[1] == 0)
        #expect(try store.listCases().map(\.id) == [open])
        #expect(try store.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
    }

    @Test func badInputIsOneLineAndNothingIsWritten() throws {
        let (store, resolved, open) = try Self.store()
        let all: [String: Int?] = ["greeting": 1, "resolution": 1, "notes": nil]
        #expect(throws: CaseError.invalid("unknown criterion 'tone' in scorecard qa (known: greeting, resolution, notes)")) {
            try store.qaReview(resolved, as: "dana", scores: all.merging(["tone": 1]) { a, _ in a }, note: "x")
        }
        #expect(throws: CaseError.invalid("score for greeting is 0 (not met) or 1 (met), not 4")) {
            try store.qaReview(resolved, as: "dana", scores: all.merging(["greeting": 4]) { _, b in b }, note: "x")
        }
        #expect(throws: CaseError.invalid("criterion 'notes' is neither scored nor marked not applicable (--na notes)")) {
            try store.qaReview(resolved, as: "dana", scores: ["greeting": 1, "resolution": 1], note: "x")
        }
        #expect(throws: CaseError.invalid("case #\(open) is new: only a resolved case is reviewed")) {
            try store.qaReview(open, as: "dana", scores: all, note: "x")
        }
        #expect(throws: CaseError.invalid("a review needs a note (--note TEXT)")) {
            try store.qaReview(resolved, as: "dana", scores: all, note: " ")
        }
        #expect(throws: CaseError.self) { try store.qaReview(resolved, as: "alice", scores: all, note: "x") }
        #expect(try store.qaReviews(case: resolved, as: "dana").isEmpty, "nothing written")
        try store.qaReview(resolved, as: "dana", scores: all, note: "fine")
        #expect(throws: CaseError.invalid("dana has already reviewed case #\(resolved)")) {
            try store.qaReview(resolved, as: "dana", scores: all, note: "again")
        }
    }

    @Test func calibrationSpreadAndReport() throws {
        let (store, id, _) = try Self.store()
        // dana: greeting met, resolution met, notes n/a → (50 + 30) ÷ (50 + 30) = 100%.
        // tess: greeting met, resolution not met, notes met → (50 + 20) ÷ 100 = 70%.
        try store.qaReview(id, as: "dana", scores: ["greeting": 1, "resolution": 1, "notes": nil], note: "clear")
        try store.qaReview(id, as: "tess", scores: ["greeting": 1, "resolution": 0, "notes": 1], note: "refund wrong")
        let c = try store.qaCalibration(case: id, as: "dana")
        #expect(c.scorers == ["dana", "tess"])
        #expect(c.rows.map(\.spread) == [0, 1, 0], "greeting agree; resolution 1 vs 0; notes only tess scored")
        let notes: [String: Int?] = ["dana": Int?.none, "tess": 1]
        #expect(c.rows[2].scores == notes)
        let percents: [String: Double?] = ["dana": 100, "tess": 70]
        #expect(c.percents == percents && c.percentSpread == 30)

        // Report: alice has 2 reviews, average (100 + 70) ÷ 2 = 85%; resolution met in 1 of 2.
        let period = try store.reportPeriod(from: "2025-07-07", to: "2025-07-07")
        let r = try store.qaReport(period, as: "dana")
        #expect(r.agents.count == 1 && r.agents[0].agent == "alice" && r.agents[0].reviews == 2)
        #expect(r.agents[0].averagePercent == 85)
        #expect(r.agents[0].metRate == ["greeting": 1, "resolution": 0.5, "notes": 1])

        // Agents see their own reviews and nobody else's; calibration is for reviewers.
        #expect(try store.qaReviews(case: id, as: "alice").count == 2)
        #expect(try store.qaReviews(case: id, as: "bob").isEmpty)
        #expect(try store.qaReport(period, as: "bob").agents.isEmpty)
        #expect(throws: CaseError.self) { try store.qaCalibration(case: id, as: "alice") }
    }

    @Test func theQueueIsForReviewersAndRefusalsNameWhatWasAsked() throws {
        // alice resolved a case on Monday 7 July (now): this week's sample has room for it.
        let (store, resolved, _) = try Self.store()
        // tess, a trainer with no board, sees the list the lead's board shows under Q.
        #expect(try store.qaQueue(as: "tess").map(\.id) == [resolved])
        #expect(try store.qaQueue(as: "dana") == store.board(for: "dana").qaQueue)
        let refusal = "alice may not do quality reviews (qa review, qa calibrate, qa queue) (alice is an agent): only a lead, a trainer or an admin may"
        #expect(throws: CaseError.notAllowed(refusal)) { try store.qaQueue(as: "alice") }
        try store.qaReview(resolved, as: "tess", scores: ["greeting": 1, "resolution": 1, "notes": 1], note: "fine")
        #expect(throws: CaseError.notAllowed(refusal)) { try store.qaCalibration(case: resolved, as: "alice") }
        #expect(throws: CaseError.notAllowed(refusal)) {
            try store.qaReview(resolved, as: "alice", scores: ["greeting": 1, "resolution": 1, "notes": 1], note: "mine")
        }
        #expect(try store.qaQueue(as: "tess").isEmpty, "reviewed: out of the queue")
        #expect(try store.qaReviews(case: resolved, as: "dana").map(\.scorer) == ["tess"])
    }
}
