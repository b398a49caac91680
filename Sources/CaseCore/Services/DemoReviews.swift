import Foundation
import GRDB

/// The demo's quality reviews: two resolved cases per agent from the last two weeks, each
/// scored by the lead (dana) and the trainer (tess) on the pack's QA scorecard, agreeing on
/// most criteria and apart on a few, as calibration finds in practice.
enum DemoReviews {
    static let notes = ["Clear and friendly; check the account before promising a refund.",
                        "Good ownership; the close could summarise next steps.",
                        "Verified properly; tone a little rushed near the end.",
                        "Right call type and script; documentation thin."]

    static func add(_ db: Database, seed: UInt64, now: Date) throws {
        guard let body = try String.fetchOne(db, sql: "SELECT body FROM scorecards WHERE id = ?", arguments: [CaseStore.qaScorecard]),
              let card = try? JSONDecoder().decode(Scorecard.self, from: Data(body.utf8)),
              let lead = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE login = 'dana'"),
              let trainer = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE login = 'tess'") else { return }
        var rng = SplitMix64(seed: seed, stream: 9)
        let since = now.timeIntervalSince1970 - 14 * 86400
        for agent in try Int64.fetchAll(db, sql: "SELECT id FROM users WHERE role = 'agent' ORDER BY id") {
            let cases = try Row.fetchAll(db, sql: """
                SELECT id, resolved_at FROM cases
                WHERE assignee_id = ? AND \(CaseStatus.doneSQL()) AND resolved_at >= ?
                ORDER BY (id * 2654435761) % 4294967296 LIMIT 2
                """, arguments: [agent, since])
            for c in cases {
                let caseId: Int64 = c["id"], resolved: Double = c["resolved_at"]
                // The lead's view of each criterion; the trainer differs on about one in eight.
                let base = card.criteria.map { crit -> Int? in
                    crit.id == "documentation" && rng.chance(0.15) ? nil : (rng.chance(0.82) ? 1 : 0)
                }
                for (k, scorer) in [lead, trainer].enumerated() {
                    let at = min(now.timeIntervalSince1970 - 60, resolved + 3600 * rng.uniform(4, 48) + Double(k) * 1800)
                    try db.execute(sql: "INSERT INTO qa_reviews(case_id, scorer_id, agent_id, scorecard, at, note) VALUES (?,?,?,?,?,?)",
                                   arguments: [caseId, scorer, agent, card.id, max(at, resolved + 60), rng.pick(notes)])
                    let review = db.lastInsertedRowID
                    for (i, crit) in card.criteria.enumerated() {
                        var score = base[i]
                        if k == 1, let s = score, rng.chance(0.12) { score = 1 - s }
                        try db.execute(sql: "INSERT INTO qa_scores(review_id, criterion, score) VALUES (?,?,?)",
                                       arguments: [review, crit.id, score])
                    }
                }
            }
        }
    }
}
