import Foundation
import GRDB

/// Take-next: the claim every agent makes all day, and the write most often contended.
extension CaseStore {
    /// How many queued take-nexts one transaction claims for at most, besides its own.
    static let claimsServedAtOnce = 32

    /// Gives the agent the most urgent waiting case they can handle. The pick and the
    /// claim happen inside one IMMEDIATE transaction, so two agents never get the same case.
    ///
    /// Under contention claims combine: an agent's request waits in the writer queue
    /// (`ClaimSlots`), and the writer ahead of it that holds the lock may claim for it in
    /// its own transaction, in queue order. A waiter that was served checks the claim in
    /// the database (the assign event names it and the case) and returns at once, without
    /// taking the lock; if the claim did not commit (its writer was killed) it queues again.
    public func takeNext(as login: String) throws -> CaseRecord {
        let request = ClaimSlots.Request(login: login, via: via.userId)
        return try pool.writeWithoutTransaction { db in
            // A few tries at most: each failed one means a claim made for us did not commit.
            for attempt in 0..<3 {
                let ticket = writers?.enter(claim: attempt < 2 ? request : nil)
                if let ticket, let writers, let served = writers.claims.served(ticket) {
                    writers.leave(ticket)
                    if let record = try Self.servedRecord(db, served, login: login) { return record }
                    continue
                }
                defer { if let ticket { writers?.leave(ticket) } }
                var taken: CaseRecord?
                try db.inTransaction(.immediate) {
                    let training = try Self.kind(db) == .training
                    let own = try claimNext(db, login: login, training: training)
                    if let ticket, let writers { serveWaiting(db, writers, after: ticket, via: request.via, training: training) }
                    taken = try Self.record(db, id: own.caseId)
                    return .commit
                }
                return taken!
            }
            throw CaseError.invalid("take-next could not confirm a claim made for \(login); try again")
        }
    }

    /// Claims the most urgent case `login` may take; returns it and the assign event's id.
    /// The agent's row, one indexed select, one update and its event: each a cached statement.
    func claimNext(_ db: Database, login: String, training: Bool) throws -> ClaimSlots.Served {
        let agent = try Self.user(db, login: login)
        let (sql, args) = Self.nextCaseQuery(for: agent)
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: args) else {
            throw CaseError.nothingToTake
        }
        let id: Int64 = row[0]
        // The select finds only cases this agent serves; the policy decides whether their role takes at all.
        try Policy.require(agent, .take, PolicyContext(facts: CaseFacts(id: id, teamId: row[2]), training: training))
        let events = try change(db, caseId: id, version: row[1], actor: agent,
                                sets: ["assignee_id": agent.id, "status": CaseStatus.open.rawValue],
                                events: [EventDraft(kind: .assign, field: "assignee", old: nil, new: agent.login, body: "taken from the queue")])
        return ClaimSlots.Served(caseId: id, eventId: events[0])
    }

    /// Claims, in this transaction, for the take-nexts queued behind `ticket` by the same
    /// acting admin (events name this connection's). One that cannot be served here (no case
    /// for them, not allowed) is left to claim for itself and hear why.
    private func serveWaiting(_ db: Database, _ writers: WriterQueue, after ticket: Int64, via: Int64?, training: Bool) {
        for waiting in writers.waitingClaims(after: ticket, limit: Self.claimsServedAtOnce) where waiting.request.via == via {
            var served: ClaimSlots.Served?
            do {
                try db.inSavepoint {
                    served = try claimNext(db, login: waiting.request.login, training: training)
                    return .commit
                }
            } catch is DatabaseError {
                return   // the database refuses writes now (full, read-only): our own claim reports it
            } catch {
                continue
            }
            if let served { writers.claims.serve(waiting.ticket, served) }
        }
    }

    /// The case claimed for `login` while it waited, if that claim committed.
    static func servedRecord(_ db: Database, _ served: ClaimSlots.Served, login: String) throws -> CaseRecord? {
        let committed = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM events e JOIN users u ON u.id = e.actor_id
            WHERE e.id = ? AND e.case_id = ? AND e.kind = ? AND u.login = ?
            """), arguments: [served.eventId, served.caseId, CaseEvent.Kind.assign.rawValue, login]) ?? false
        return committed ? try record(db, id: served.caseId) : nil
    }

    /// The waiting case an agent takes next: unassigned, open, in their team (or none; an
    /// agent in no team: none) and skills (or none), most urgent first.
    static func nextCaseQuery(for agent: User) -> (String, StatementArguments) {
        var sql = """
            SELECT id, version, team_id FROM cases
            WHERE assignee_id IS NULL AND \(Schema.openStatuses)
            """
        var args: [DatabaseValueConvertible?] = []
        if let team = agent.teamId {
            sql += " AND (team_id IS NULL OR team_id = ?)"; args.append(team)
        } else if agent.role == .agent {
            sql += " AND team_id IS NULL"   // an agent in no team serves only cases filed to none (Policy.serves)
        }
        if !agent.skills.isEmpty {
            let terms = agent.skills.map { _ in "call_type = ? OR call_type LIKE ?" }.joined(separator: " OR ")
            sql += " AND (call_type IS NULL OR \(terms))"
            for skill in agent.skills { args.append(skill); args.append(skill + ".%") }
        }
        sql += " ORDER BY priority, due_at, id LIMIT 1"
        return (sql, StatementArguments(args))
    }
}
