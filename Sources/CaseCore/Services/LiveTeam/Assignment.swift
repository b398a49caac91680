import Foundation
import GRDB

/// Team assignment policies and moving cases between people. Every choice is made inside
/// the caller's IMMEDIATE transaction, so two processes creating or releasing cases at
/// once see each other's loads and round-robin cursor, never a stale copy.
extension CaseStore {
    // MARK: teams

    public func teams() throws -> [Team] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, policy FROM teams ORDER BY name").map(Team.init(row:))
        }
    }

    /// Sets a team's policy. No role check: for setup code and admins' tools; people go
    /// through `setPolicy(team:_:by:)`.
    public func setPolicy(team: String, _ policy: AssignmentPolicy) throws {
        try write { db in try Self.setPolicy(db, team: team, policy) }
    }

    /// Sets a team's policy on someone's behalf: an admin for any team, a lead for their own.
    public func setPolicy(team: String, _ policy: AssignmentPolicy, by login: String) throws {
        try write { db in
            let actor = try Self.user(db, login: login)
            let teamId = try Self.team(db, name: team, create: false)
            try Policy.require(actor, .setTeamPolicy, PolicyContext(teamId: teamId, teamName: team))
            try Self.setPolicy(db, team: team, policy)
        }
    }

    static func setPolicy(_ db: Database, team: String, _ policy: AssignmentPolicy) throws {
        try db.execute(sql: "UPDATE teams SET policy = ? WHERE name = ?", arguments: [policy.rawValue, team])
        if db.changesCount == 0 { throw CaseError.noSuchTeam(team) }
    }

    // MARK: reassign

    /// Moves several cases to `login` (nil: back to the queue, where the team's policy may
    /// pick someone else) in ONE transaction: all move or, on any refusal, none. Each move
    /// is an `assign` event carrying `reason`; a case already with `login` is left alone.
    @discardableResult
    public func reassign(_ ids: [Int64], to login: String?, by actorLogin: String, reason: String?) throws -> [CaseRecord] {
        var unique: [Int64] = []
        for id in ids where !unique.contains(id) { unique.append(id) }
        guard !unique.isEmpty else { throw CaseError.invalid("name at least one case to reassign") }
        let reason = reason.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        return try write { db in
            let actor = try Self.user(db, login: actorLogin)
            let target = try login.map { try Self.user(db, login: $0) }
            if let target { try Self.requireAssignable(db, target) }
            return try unique.map { id in
                let current = try Self.record(db, id: id)
                try Self.requireMayMove(db, actor, current, to: target)
                guard current.assigneeId != target?.id else { return current }
                try move(db, current, to: target, actor: actor, reason: reason, expectedVersion: nil)
                return try Self.record(db, id: id)
            }
        }
    }

    /// The one way a person moves a case: version-checked change, an audited `assign`
    /// event, and on a release the team's policy gets a chance to hand it on.
    func move(_ db: Database, _ current: CaseRecord, to target: User?, actor: User, reason: String?,
              expectedVersion: Int?) throws {
        var sets: [String: DatabaseValueConvertible?] = ["assignee_id": target?.id]
        if current.status == .new, target != nil { sets["status"] = CaseStatus.open.rawValue }
        try change(db, current, actor: actor, expectedVersion: expectedVersion, sets: sets,
                   events: [EventDraft(kind: .assign, field: "assignee", old: current.assignee, new: target?.login, body: reason)])
        if target == nil {
            // Released: whoever let it go is not handed it straight back.
            try autoAssign(db, caseId: current.id, actor: actor, excluding: current.assigneeId)
        }
    }

    /// Taking a waiting case, putting one's own back, or moving it to someone else: `Policy` decides.
    static func requireMayMove(_ db: Database, _ actor: User, _ current: CaseRecord, to target: User?) throws {
        let action: Action = switch target {
        case nil: current.assigneeId == actor.id ? .release : .reassign
        case let t? where t.id == actor.id && current.assigneeId == nil: .take
        default: .reassign
        }
        try require(db, actor, action, current)
    }

    static func requireAssignable(_ db: Database, _ target: User) throws {
        if target.role == .expert {
            throw CaseError.notAllowed("\(target.login) is an expert: consult them on the case instead of assigning it")
        }
        if !target.active {
            throw CaseError.notAllowed("\(target.login) is disabled and cannot be assigned cases")
        }
    }

    // MARK: policies

    /// Hands a waiting case to an agent if its team's policy says so. The assign event's
    /// body names the policy ("auto: round robin (team Tier 1)"); its actor is whoever
    /// caused it (the creator, the releaser; none for an IVR).
    @discardableResult
    func autoAssign(_ db: Database, caseId: Int64, actor: User?, excluding: Int64? = nil) throws -> User? {
        let current = try Self.record(db, id: caseId)
        guard current.assigneeId == nil, current.status.isOpen, let teamId = current.teamId,
              let team = try Row.fetchOne(db, sql: "SELECT id, name, policy FROM teams WHERE id = ?", arguments: [teamId]).map(Team.init(row:)),
              team.policy != .manual,
              let agent = try Self.pickAgent(db, team: team, callType: current.callType, excluding: excluding)
        else { return nil }
        let at = now().timeIntervalSince1970
        try db.execute(sql: """
            UPDATE cases SET assignee_id = ?, status = CASE status WHEN 'new' THEN 'open' ELSE status END,
                             version = version + 1, updated_at = ?, updated_by = ?
            WHERE id = ? AND version = ?
            """, arguments: [agent.id, at, actor?.id, caseId, current.version])
        try Self.append(db, caseId: caseId, actor: actor?.id, at: Date(timeIntervalSince1970: at),
                        EventDraft(kind: .assign, field: "assignee", old: nil, new: agent.login,
                                   body: "auto: \(team.policy.label) (team \(team.name))"))
        return agent
    }

    /// The agent a policy picks, or nil when the team has no one who may take the case.
    /// Candidates: active agents of the team who handle the call type (as take-next judges it).
    static func pickAgent(_ db: Database, team: Team, callType: String?, excluding: Int64?) throws -> User? {
        let candidates = try Row.fetchAll(db, sql: User.selectSQL + " WHERE u.team_id = ? AND u.role = 'agent' AND u.active = 1 ORDER BY u.id",
                                          arguments: [team.id])
            .map(User.init(row:))
            .filter { $0.id != excluding && $0.handles(callType: callType) }
        guard !candidates.isEmpty else { return nil }
        switch team.policy {
        case .manual:
            return nil
        case .roundRobin:
            let last = try Int64.fetchOne(db, sql: "SELECT last_user_id FROM assignment_cursors WHERE team_id = ?", arguments: [team.id]) ?? 0
            let next = candidates.first { $0.id > last } ?? candidates[0]
            try db.execute(sql: """
                INSERT INTO assignment_cursors(team_id, last_user_id) VALUES (?, ?)
                ON CONFLICT(team_id) DO UPDATE SET last_user_id = excluded.last_user_id
                """, arguments: [team.id, next.id])
            return next
        case .leastLoaded:
            return try leastLoaded(db, candidates)
        case .skills:
            // Specialists whose skills name the call type first; generalists only when none is there.
            guard let callType else { return try leastLoaded(db, candidates) }
            let specialists = candidates.filter { !$0.skills.isEmpty && $0.handles(callType: callType) }
            let pool = specialists.isEmpty ? candidates.filter { $0.skills.isEmpty } : specialists
            return pool.isEmpty ? nil : try leastLoaded(db, pool)
        }
    }

    /// Fewest open cases; ties go to the earliest-added agent. One index range count each.
    static func leastLoaded(_ db: Database, _ pool: [User]) throws -> User? {
        var best: (User, Int)?
        for user in pool {
            let load = try openCaseCount(db, assignee: user.id)
            if best == nil || load < best!.1 { best = (user, load) }
        }
        return best?.0
    }

    static func openCaseCount(_ db: Database, assignee: Int64) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT count(*) FROM cases INDEXED BY cases_open_by_assignee
            WHERE assignee_id = ? AND \(Schema.openStatuses)
            """, arguments: [assignee]) ?? 0
    }
}

extension Team {
    init(row: Row) throws {
        id = row["id"]; name = row["name"]
        policy = try row.value("policy", of: "teams")
    }
}
