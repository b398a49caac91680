import Foundation
import GRDB

/// One criterion's score in a review: 0 (not met) or 1 (met), nil when not applicable.
/// The pack's scorecard says each criterion is met or not and weighs it.
public struct QAScore: Codable, Equatable, Sendable {
    public var criterion: String
    public var score: Int?
    public init(criterion: String, score: Int?) { self.criterion = criterion; self.score = score }
}

public struct QAReview: Codable, Equatable, Sendable {
    public var id: Int64
    public var caseId: Int64
    public var scorer: String
    public var agent: String?
    public var at: Date
    public var note: String
    public var scores: [QAScore]
    /// Met weight ÷ applicable weight × 100 (WeightedScore over the applicable criteria).
    public var percent: Double?
}

/// How several scorers scored one case: per criterion the scores and the spread.
public struct QACalibration: Codable, Equatable, Sendable {
    public struct Row: Codable, Equatable, Sendable {
        public var criterion: String
        public var weight: Int
        /// Scorer → score (nil: not applicable).
        public var scores: [String: Int?]
        /// Highest minus lowest score among those who scored it (0 when they agree).
        public var spread: Int?
    }
    public var caseId: Int64
    public var scorers: [String]
    public var rows: [Row]
    /// Scorer → the review's percentage.
    public var percents: [String: Double?]
    /// Highest minus lowest review percentage, in points.
    public var percentSpread: Double?
}

public struct QAReport: Codable, Equatable, Sendable {
    public struct AgentRow: Codable, Equatable, Sendable {
        public var agent: String
        public var reviews: Int
        public var averagePercent: Double?
        /// Criterion → share of the reviews that scored it where it was met.
        public var metRate: [String: Double]
    }
    public var period: ReportPeriod
    public var scorecard: String
    public var criteria: [String]
    public var agents: [AgentRow]
}

extension CaseStore {
    public static let qaScorecard = "qa"
    static let qaMax = 1

    /// Scores a resolved case against the scorecard: every criterion scored 0/1 or marked not
    /// applicable (nil), with a note. One review per scorer per case. The scorer is whoever
    /// acts (`login`): nobody names another scorer, so nobody can file a review under a
    /// lead's name; an admin recording a paper review acts as the scorer (`--as`).
    @discardableResult
    public func qaReview(_ caseId: Int64, as login: String, scores: [String: Int?], note: String,
                         scorecard: String = CaseStore.qaScorecard) throws -> QAReview {
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CaseError.invalid("a review needs a note (--note TEXT)") }
        return try write { db in
            let scorer = try Self.user(db, login: login)
            try FeedbackPolicy.requireMayReview(scorer)
            let card = try Self.scorecard(db, id: scorecard)
            let known = card.criteria.map(\.id)
            for (c, v) in scores {
                guard known.contains(c) else {
                    throw CaseError.invalid("unknown criterion '\(c)' in scorecard \(card.id) (known: \(known.joined(separator: ", ")))")
                }
                if let v, !(0...Self.qaMax).contains(v) {
                    throw CaseError.invalid("score for \(c) is 0 (not met) or 1 (met), not \(v)")
                }
            }
            if let missing = known.first(where: { scores[$0] == nil }) {
                throw CaseError.invalid("criterion '\(missing)' is neither scored nor marked not applicable (--na \(missing))")
            }
            let current = try Self.record(db, id: caseId)
            guard current.status == .resolved || current.status == .closed else {
                throw CaseError.invalid("case #\(caseId) is \(current.status.rawValue): only a resolved case is reviewed")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM qa_reviews WHERE case_id = ? AND scorer_id = ?", arguments: [caseId, scorer.id]) == true {
                throw CaseError.invalid("\(login) has already reviewed case #\(caseId)")
            }
            try db.execute(sql: "INSERT INTO qa_reviews(case_id, scorer_id, agent_id, scorecard, at, note) VALUES (?,?,?,?,?,?)",
                           arguments: [caseId, scorer.id, current.assigneeId, card.id, now().timeIntervalSince1970, text])
            let id = db.lastInsertedRowID
            for c in known {
                try db.execute(sql: "INSERT INTO qa_scores(review_id, criterion, score) VALUES (?,?,?)", arguments: [id, c, scores[c]!])
            }
            return try Self.reviews(db, card, where: "r.id = \(id)")[0]
        }
    }

    /// The reviews of a case. Reviewers see every review; the case's agent sees theirs; others none.
    public func qaReviews(case caseId: Int64, as login: String) throws -> [QAReview] {
        try read { db in
            let me = try Self.user(db, login: login)
            let card = try Self.scorecard(db, id: Self.qaScorecard)
            var all = try Self.reviews(db, card, where: "r.case_id = \(caseId)")
            if !FeedbackPolicy.seesAllReviews(me.role) { all = all.filter { $0.agent == me.login } }
            return all
        }
    }

    /// Several scorers on one case, criterion by criterion, with the spread (reviewers only).
    public func qaCalibration(case caseId: Int64, as login: String) throws -> QACalibration {
        try read { db in
            let me = try Self.user(db, login: login)
            try FeedbackPolicy.requireMayReview(me)
            let card = try Self.scorecard(db, id: Self.qaScorecard)
            let reviews = try Self.reviews(db, card, where: "r.case_id = \(caseId)")
            guard !reviews.isEmpty else { throw CaseError.invalid("case #\(caseId) has no quality reviews yet") }
            let rows = card.criteria.map { c -> QACalibration.Row in
                var scores: [String: Int?] = [:]
                for r in reviews { scores[r.scorer] = .some(r.scores.first { $0.criterion == c.id }?.score) }
                let given = scores.values.compactMap { $0 }
                return QACalibration.Row(criterion: c.id, weight: c.weight, scores: scores,
                                         spread: given.isEmpty ? nil : given.max()! - given.min()!)
            }
            let percents = Dictionary(uniqueKeysWithValues: reviews.map { ($0.scorer, $0.percent) })
            let values = percents.values.compactMap { $0 }
            return QACalibration(caseId: caseId, scorers: reviews.map(\.scorer), rows: rows, percents: percents,
                                 percentSpread: values.isEmpty ? nil : values.max()! - values.min()!)
        }
    }

    /// Reviews made in the period per agent and criterion. An agent sees only their own row.
    public func qaReport(_ period: ReportPeriod, as login: String) throws -> QAReport {
        try read { db in
            let me = try Self.user(db, login: login)
            let card = try Self.scorecard(db, id: Self.qaScorecard)
            var reviews = try Self.reviews(db, card, where: "r.at >= \(period.from.timeIntervalSince1970) AND r.at < \(period.to.timeIntervalSince1970)")
            if !FeedbackPolicy.seesAllReviews(me.role) { reviews = reviews.filter { $0.agent == me.login } }
            let byAgent = Dictionary(grouping: reviews, by: { $0.agent ?? Self.unassigned })
            let rows = byAgent.keys.sorted().map { agent -> QAReport.AgentRow in
                let list = byAgent[agent]!
                let percents = list.compactMap(\.percent)
                var met: [String: Double] = [:]
                for c in card.criteria {
                    let scored = list.compactMap { r in r.scores.first { $0.criterion == c.id }?.score }
                    if !scored.isEmpty { met[c.id] = Double(scored.filter { $0 == Self.qaMax }.count) / Double(scored.count) }
                }
                return QAReport.AgentRow(agent: agent, reviews: list.count,
                                         averagePercent: percents.isEmpty ? nil : percents.reduce(0, +) / Double(percents.count), metRate: met)
            }
            return QAReport(period: period, scorecard: card.id, criteria: card.criteria.map(\.id), agents: rows)
        }
    }

    static func scorecard(_ db: Database, id: String) throws -> Scorecard {
        guard let body = try String.fetchOne(db, sql: "SELECT body FROM scorecards WHERE id = ?", arguments: [id]) else {
            throw CaseError.invalid("no scorecard '\(id)' in the content pack (scorecards/\(id).yaml)")
        }
        return try JSONDecoder().decode(Scorecard.self, from: Data(body.utf8))
    }

    static func reviews(_ db: Database, _ card: Scorecard, where clause: SQL) throws -> [QAReview] {
        let rows = try Row.fetchAll(db, SQLRequest(literal: """
            SELECT r.id, r.case_id, r.at, r.note, s.login AS scorer, a.login AS agent
            FROM qa_reviews r JOIN users s ON s.id = r.scorer_id LEFT JOIN users a ON a.id = r.agent_id
            WHERE \(clause) ORDER BY r.at, r.id
            """))
        return try rows.map { row in
            let id: Int64 = row["id"]
            let scores = try Row.fetchAll(db, sql: "SELECT criterion, score FROM qa_scores WHERE review_id = ?", arguments: [id])
                .map { QAScore(criterion: $0["criterion"], score: $0["score"]) }
            let weights = card.criteria.compactMap { c -> (weight: Int, max: Int, mean: Double?)? in
                guard let s = scores.first(where: { $0.criterion == c.id }), let v = s.score else { return nil }   // n/a: left out
                return (c.weight, Self.qaMax, Double(v))
            }
            return QAReview(id: id, caseId: row["case_id"], scorer: row["scorer"], agent: row["agent"],
                            at: Date(timeIntervalSince1970: row["at"]), note: row["note"],
                            scores: card.criteria.compactMap { c in scores.first { $0.criterion == c.id } },
                            percent: WeightedScore(weights).percent)
        }
    }

    /// The QA queue for whoever may review quality (`casedesk qa queue`): the board's list,
    /// for the same agents (their team's; everyone's for an admin or someone without a team).
    public func qaQueue(as login: String) throws -> [QueueRow] {
        let at = now()
        return try read { db in
            let me = try Self.user(db, login: login)
            try FeedbackPolicy.requireMayReview(me)
            return try Self.qaQueue(db, agents: try Self.boardAgents(db, team: me.role == .admin ? nil : me.teamId).map(\.id), at: at)
        }
    }

    /// The QA queue: for each agent, resolved cases of this business week (Monday in the
    /// pack's zone) nobody has reviewed yet, enough to bring the agent's reviews this week up to
    /// the pack's `qa_sample_per_agent_week`. The sample is a stable shuffle of case ids, so
    /// the queue does not jump about between reloads.
    static func qaQueue(_ db: Database, agents: [Int64], at: Date) throws -> [QueueRow] {
        let sample = try serviceSettings(db).qaSamplePerAgentWeek
        guard sample > 0 else { return [] }
        let cal = BusinessCalendar(try businessHours(db)).calendar
        let week = weekStart(cal, at).timeIntervalSince1970
        var ids: [Int64] = []
        for agent in agents {
            let done = try Int.fetchOne(db, sql: "SELECT count(*) FROM qa_reviews WHERE agent_id = ? AND at >= ?", arguments: [agent, week]) ?? 0
            guard done < sample else { continue }
            ids += try Int64.fetchAll(db, sql: """
                SELECT c.id FROM cases c INDEXED BY cases_resolved_by_assignee
                WHERE c.assignee_id = ? AND c.resolved_at >= ? AND \(CaseStatus.doneSQL("c.status"))
                  AND NOT EXISTS (SELECT 1 FROM qa_reviews r WHERE r.case_id = c.id)
                ORDER BY (c.id * 2654435761) % 4294967296 LIMIT ?
                """, arguments: [agent, week, sample - done])
        }
        guard !ids.isEmpty else { return [] }
        return try queueRows(db, ids: ids, orderBy: "u.login, c.id")
    }
}
