import Foundation
import GRDB

/// A question put to an expert anywhere in the company, and its answer.
public struct Consult: Codable, Equatable, Sendable {
    public var id: Int64
    public var caseId: Int64
    public var from: String
    public var expert: String
    public var question: String
    public var answer: String?
    public var askedAt: Date
    public var answeredAt: Date?
    public var subject: String
}

/// Experts see only the consults put to them, and answer into the case's timeline.
extension CaseStore {
    public func consults(for expertLogin: String, includeAnswered: Bool = false) throws -> [Consult] {
        try read { db in
            let expert = try Self.user(db, login: expertLogin)
            return try Row.fetchAll(db, sql: """
                SELECT q.*, f.login AS from_login, e.login AS expert_login, c.subject
                FROM consults q JOIN users f ON f.id = q.from_id JOIN users e ON e.id = q.expert_id JOIN cases c ON c.id = q.case_id
                WHERE q.expert_id = ? \(includeAnswered ? "" : "AND q.answered_at IS NULL")
                ORDER BY q.asked_at
                """, arguments: [expert.id]).map(Self.consult)
        }
    }

    /// Only the expert asked may answer, once; the answer goes on the case's timeline.
    public func answerConsult(_ id: Int64, answer: String, by login: String) throws {
        let answer = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answer.isEmpty else { throw CaseError.invalid("an answer cannot be empty") }
        try write { db in
            let me = try Self.user(db, login: login)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT q.*, f.login AS from_login, e.login AS expert_login, c.subject
                FROM consults q JOIN users f ON f.id = q.from_id JOIN users e ON e.id = q.expert_id JOIN cases c ON c.id = q.case_id
                WHERE q.id = ?
                """, arguments: [id]) else { throw CaseError.invalid("no consult #\(id)") }
            let consult = Self.consult(row)
            var context = try Self.context(db, Self.record(db, id: consult.caseId))
            context.facts?.consultedExperts = [row["expert_id"] as Int64]   // this consult's expert, not any other's
            try Policy.require(me, .answerConsult, context)
            guard consult.answer == nil else { throw CaseError.invalid("consult #\(id) is already answered") }
            let at = now()
            try db.execute(sql: "UPDATE consults SET answer = ?, answered_at = ? WHERE id = ?",
                           arguments: [answer, at.timeIntervalSince1970, id])
            try Self.append(db, caseId: consult.caseId, actor: me.id, at: at,
                            EventDraft(kind: .consultReply, field: "consult", new: String(id), body: answer))
        }
    }

    static func consult(_ row: Row) -> Consult {
        Consult(id: row["id"], caseId: row["case_id"], from: row["from_login"], expert: row["expert_login"],
                question: row["question"], answer: row["answer"], askedAt: Date(timeIntervalSince1970: row["asked_at"]),
                answeredAt: (row["answered_at"] as Double?).map(Date.init(timeIntervalSince1970:)), subject: row["subject"])
    }
}
