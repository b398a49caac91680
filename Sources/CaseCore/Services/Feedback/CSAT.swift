import Foundation
import GRDB

/// A low CSAT score that arrived lately, shown on the lead board with the comment.
public struct CSATAlert: Codable, Equatable, Sendable {
    public var caseId: Int64
    public var score: Int
    public var comment: String?
    public var at: Date
    public var agent: String?
    public var callType: String?
    public init(caseId: Int64, score: Int, comment: String?, at: Date, agent: String?, callType: String?) {
        self.caseId = caseId; self.score = score; self.comment = comment; self.at = at; self.agent = agent; self.callType = callType
    }
}

/// CSAT as it arrives: one score per resolved case (a second only with `replace`), from the
/// command line or a survey tool's file, all or nothing.
extension CaseStore {
    /// How far back the board looks for low scores.
    public static let csatAlertDays = 7
    static let csatImportColumns = ["case", "score", "comment", "at"]

    /// Records the survey answer for a resolved (or closed) case.
    public func recordCSAT(_ caseId: Int64, score: Int, comment: String? = nil, at: Date? = nil, replace: Bool = false,
                           by login: String) throws {
        try write { db in
            let actor = try Self.user(db, login: login)
            try FeedbackPolicy.requireMayRecordCSAT(actor)
            try recordCSAT(db, caseId, score: score, comment: comment, at: at ?? now(), replace: replace, actor: actor)
        }
    }

    /// Every line of a CSV (`case,score,comment,at`) or JSON Lines file, checked before any is
    /// written; one transaction. Returns how many scores were recorded.
    @discardableResult
    public func importCSAT(file path: String, replace: Bool = false, by login: String) throws -> Int {
        let name = (path as NSString).lastPathComponent
        let rows = try ImportFile.read(path: path, name: name, columns: Self.csatImportColumns, required: ["case", "score"])
            .map { ($0.line, $0.fields) }
        guard !rows.isEmpty else { throw ImportError(file: name, line: 1, problem: "no scores in the file") }
        return try write { db in
            let actor = try Self.user(db, login: login)
            try FeedbackPolicy.requireMayRecordCSAT(actor)
            var seen: [Int64: Int] = [:]
            for (line, f) in rows {
                do {
                    guard let text = f["case"], let id = Int64(text.trimmingCharacters(in: .whitespaces).drop { $0 == "#" }) else {
                        throw CaseError.invalid("'case' must be a case number, not '\(f["case"] ?? "")'")
                    }
                    guard let scoreText = f["score"], let score = Int(scoreText.trimmingCharacters(in: .whitespaces)) else {
                        throw CaseError.invalid("'score' must be a whole number from 1 to 5, not '\(f["score"] ?? "")'")
                    }
                    if let first = seen[id] { throw CaseError.invalid("case #\(id) is scored twice in the file (first at line \(first))") }
                    seen[id] = line
                    var at = now()
                    if let t = f["at"] {
                        guard let d = ISO8601DateFormatter().date(from: t) else {
                            throw CaseError.invalid("'at' must be an ISO 8601 time like 2026-11-23T09:30:00Z, not '\(t)'")
                        }
                        at = d
                    }
                    try recordCSAT(db, id, score: score, comment: f["comment"], at: at, replace: replace, actor: actor)
                } catch let e as CaseError {
                    throw ImportError(file: name, line: line, problem: e.description)
                }
            }
            return rows.count
        }
    }

    private func recordCSAT(_ db: Database, _ caseId: Int64, score: Int, comment: String?, at: Date, replace: Bool, actor: User) throws {
        guard (1...5).contains(score) else { throw CaseError.invalid("CSAT is 1 to 5, not \(score)") }
        let current = try Self.record(db, id: caseId)
        guard current.status == .resolved || current.status == .closed else {
            throw CaseError.invalid("case #\(caseId) is \(current.status.rawValue): CSAT is recorded after resolution")
        }
        // An answer dated ahead would sit at the top of the board's alerts and in a week to come.
        guard at <= now() else {
            throw CaseError.invalid("the answer for case #\(caseId) is dated \(ISO8601DateFormatter().string(from: at)), in the future")
        }
        if let resolved = current.resolvedAt, at < resolved {
            throw CaseError.invalid("the answer for case #\(caseId) is dated before the case was resolved")
        }
        if let old = current.csat, !replace {
            throw CaseError.invalid("case #\(caseId) already has CSAT \(old); use --replace to change it")
        }
        let note = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = (note?.isEmpty ?? true) ? nil : note
        try change(db, current, actor: actor, expectedVersion: nil,
                   sets: ["csat": score, "csat_comment": text, "csat_at": at.timeIntervalSince1970],
                   events: [EventDraft(kind: .csat, field: "csat", old: current.csat.map(String.init), new: String(score), body: text)])
    }

    /// Low scores (at or below the pack's threshold) that arrived in the last `csatAlertDays`
    /// days on cases of `team` (filed to it or held by its agents); all teams for nil.
    static func csatAlerts(_ db: Database, team: Int64?, agents: [Int64], since: Date, threshold: Int) throws -> (total: Int, recent: [CSATAlert]) {
        var base: SQL = " FROM cases c INDEXED BY cases_csat_at WHERE c.csat_at >= \(since.timeIntervalSince1970) AND c.csat <= \(threshold)"
        if let team { base += agents.isEmpty ? " AND (c.team_id = \(team))" : " AND (c.team_id = \(team) OR c.assignee_id IN \(agents))" }
        let total = try Int.fetchOne(db, SQLRequest(literal: "SELECT count(*)\(base)")) ?? 0
        let rows = try Row.fetchAll(db, SQLRequest(literal: """
            SELECT c.id, c.csat, c.csat_comment, c.csat_at, c.call_type, u.login AS agent
            FROM (SELECT c.id\(base) ORDER BY c.csat_at DESC, c.id DESC LIMIT 20) x
            JOIN cases c ON c.id = x.id LEFT JOIN users u ON u.id = c.assignee_id
            ORDER BY c.csat_at DESC, c.id DESC
            """))
        return (total, rows.map {
            CSATAlert(caseId: $0["id"], score: $0["csat"], comment: $0["csat_comment"], at: Date(timeIntervalSince1970: $0["csat_at"]),
                      agent: $0["agent"], callType: $0["call_type"])
        })
    }
}
