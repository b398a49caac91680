import Foundation
import GRDB

/// Who has which case open right now. Each open desk is a session that heartbeats;
/// a row counts only while it is younger than `presenceExpiry`, so a desk that quits
/// without a word (or is killed) drops out on its own. Nothing here ever locks a case.
extension CaseStore {
    /// How long a heartbeat keeps a desk present. A desk heartbeats every ~2 s.
    public static let presenceExpiry: TimeInterval = 10
    /// An unchanged heartbeat younger than this is not written again: every commit wakes
    /// every open desk, so a quiet desk should commit rarely (at most every ~4 s at a
    /// 2 s heartbeat), still well inside the expiry.
    static let presenceRefresh: TimeInterval = presenceExpiry / 4

    /// Records that `session` (one open desk of `login`) is alive, on `caseId`, typing or not.
    public func heartbeat(login: String, session: String, caseId: Int64?, typing: Bool) throws {
        let at = now().timeIntervalSince1970
        let fresh = try read { db in
            try Row.fetchOne(db, sql: """
                SELECT u.login, p.case_id, p.typing, p.seen_at FROM presence p JOIN users u ON u.id = p.user_id
                WHERE p.session = ?
                """, arguments: [session])
        }
        if let row = fresh, row["login"] == login, (row["case_id"] as Int64?) == caseId, (row["typing"] as Bool) == typing,
           case let age = at - (row["seen_at"] as Double), age >= 0, age < Self.presenceRefresh {
            return
        }
        try write { db in
            let user = try Self.user(db, login: login)
            if let caseId { _ = try Self.record(db, id: caseId) }
            try db.execute(sql: """
                INSERT INTO presence(session, user_id, case_id, typing, seen_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(session) DO UPDATE SET user_id = excluded.user_id, case_id = excluded.case_id,
                  typing = excluded.typing, seen_at = excluded.seen_at
                """, arguments: [session, user.id, caseId, typing, at])
            // Dead desks' rows are ignored at once and swept later, so the table stays tiny.
            try db.execute(sql: "DELETE FROM presence WHERE seen_at < ?", arguments: [at - 6 * Self.presenceExpiry])
        }
    }

    /// A desk closing says goodbye; one that cannot (SIGKILL) simply expires.
    public func endPresence(session: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM presence WHERE session = ?", arguments: [session]) }
    }

    /// People with `caseId` open on a live desk other than `excludingSession`, by login;
    /// someone with two desks on the case appears once (typing if either desk is).
    public func presence(caseId: Int64, excludingSession: String?) throws -> [Presence] {
        let since = now().timeIntervalSince1970 - Self.presenceExpiry
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.login, u.name, p.case_id, p.typing, p.seen_at
                FROM presence p JOIN users u ON u.id = p.user_id
                WHERE p.case_id = ? AND p.seen_at >= ? AND p.session IS NOT ?
                ORDER BY u.login, p.seen_at DESC
                """, arguments: [caseId, since, excludingSession])
        }
        var out: [Presence] = []
        for row in rows {
            let p = Presence(login: row["login"], name: row["name"], caseId: row["case_id"], typing: row["typing"],
                             seenAt: Date(timeIntervalSince1970: row["seen_at"]))
            if let last = out.last, last.login == p.login {
                out[out.count - 1].typing = last.typing || p.typing
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// Live presence per user id: the case of the freshest desk that has one open, else none.
    static func liveDesks(_ db: Database, since: Double) throws -> [Int64: Int64?] {
        var desks: [Int64: Int64?] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT user_id, case_id FROM presence WHERE seen_at >= ? ORDER BY seen_at DESC",
                                    arguments: [since]) {
            let user: Int64 = row["user_id"], caseId: Int64? = row["case_id"]
            if let known = desks[user], known != nil { continue }
            desks[user] = caseId
        }
        return desks
    }
}
