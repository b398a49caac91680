import Foundation
import GRDB

/// "Kill the stupid rule": agents flag the policy that forced a "no"; leads see the
/// flags grouped by rule and answer them, and the answer goes back to every case.
public struct RuleFlagGroup: Codable, Equatable, Sendable {
    public var rule: String
    /// One flag id of the group, to answer it by.
    public var flagId: Int64
    public var count: Int
    public var open: Int
    public var agents: [String]
    public var caseIds: [Int64]
    public var lastAt: Date
    public var answer: String?
}

extension CaseStore {
    static func ruleKey(_ rule: String) -> String {
        rule.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .components(separatedBy: .whitespacesAndNewlines).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Flags grouped by rule (case and spacing ignored), most flagged first.
    public func ruleFlagGroups(includeAnswered: Bool = false) throws -> [RuleFlagGroup] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.id, f.case_id, f.rule, f.status, f.answer, f.at, u.login FROM rule_flags f JOIN users u ON u.id = f.user_id
                ORDER BY f.id
                """)
            var groups: [String: RuleFlagGroup] = [:]
            var order: [String] = []
            for r in rows {
                let rule: String = r["rule"], key = Self.ruleKey(rule)
                let isOpen = (r["status"] as String) == "open"
                let at = Date(timeIntervalSince1970: r["at"])
                if groups[key] == nil {
                    order.append(key)
                    groups[key] = RuleFlagGroup(rule: rule, flagId: r["id"], count: 0, open: 0, agents: [], caseIds: [], lastAt: at, answer: nil)
                }
                var g = groups[key]!
                g.count += 1
                if isOpen { g.open += 1; g.flagId = r["id"] }
                let login: String = r["login"]
                if !g.agents.contains(login) { g.agents.append(login) }
                let caseId: Int64 = r["case_id"]
                if !g.caseIds.contains(caseId) { g.caseIds.append(caseId) }
                g.lastAt = max(g.lastAt, at)
                if let answer = r["answer"] as String? { g.answer = answer }
                groups[key] = g
            }
            return order.compactMap { groups[$0] }.filter { includeAnswered || $0.open > 0 }
                .sorted { ($0.count, $0.lastAt) > ($1.count, $1.lastAt) }
        }
    }

    /// A lead answers a rule: every open flag of the same rule gets the answer, and each
    /// flagged case's timeline says so. Returns how many flags were answered.
    @discardableResult
    public func answerRuleFlag(_ flagId: Int64, answer: String, by login: String) throws -> Int {
        let answer = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answer.isEmpty else { throw CaseError.invalid("an answer cannot be empty") }
        return try write { db in
            let lead = try Self.user(db, login: login)
            try Policy.require(lead, .answerRuleFlags)
            guard let rule = try String.fetchOne(db, sql: "SELECT rule FROM rule_flags WHERE id = ?", arguments: [flagId]) else {
                throw CaseError.invalid("no rule flag #\(flagId)")
            }
            let key = Self.ruleKey(rule)
            let open = try Row.fetchAll(db, sql: "SELECT id, case_id, rule FROM rule_flags WHERE status = 'open'")
                .filter { Self.ruleKey($0["rule"]) == key }
            guard !open.isEmpty else { throw CaseError.invalid("the rule '\(rule)' has no open flags") }
            let at = now()
            for r in open {
                try db.execute(sql: "UPDATE rule_flags SET status = 'answered', answer = ? WHERE id = ?", arguments: [answer, r["id"] as Int64])
            }
            for caseId in Set(open.map { $0["case_id"] as Int64 }) {
                try Self.append(db, caseId: caseId, actor: lead.id, at: at,
                                EventDraft(kind: .flag, field: "answer", old: rule, body: answer))
            }
            return open.count
        }
    }
}
