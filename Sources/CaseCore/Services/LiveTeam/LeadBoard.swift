import Foundation
import GRDB

/// The lead board: read in one snapshot, every part through an index, so it costs the
/// same with a million cases as with a hundred (LiveTeamPlanTests checks the plans).
extension CaseStore {
    /// How many at-risk cases the board lists; the title counts them all.
    public static let boardRiskLimit = 50

    /// The board for `lead`'s team; an admin (or a lead without a team) sees everyone.
    /// Agents and other roles are refused.
    public func board(for lead: String) throws -> Board {
        let at = now()
        return try read { db in
            // "Today" is the business day in the pack's time zone, as in reports.
            let startOfDay = BusinessCalendar(try Self.businessHours(db)).dayStart(at).timeIntervalSince1970
            let settings = try Self.serviceSettings(db)
            let riskBefore = at.addingTimeInterval(settings.atRiskWindow)
            let me = try Self.user(db, login: lead)
            try Policy.require(me, .viewBoard)
            let teamId = me.role == .admin ? nil : me.teamId

            let agents = try Self.boardAgents(db, team: teamId)
            let desks = try Self.liveDesks(db, since: at.timeIntervalSince1970 - Self.presenceExpiry)
            let statuses = try agents.map { agent -> AgentStatus in
                let state: AgentStatus.State = switch desks[agent.id] {
                case .none: .away
                case .some(.none): .idle
                case .some(.some(let caseId)): .onCase(caseId)
                }
                let handled = try Int.fetchOne(db, sql: """
                    SELECT count(DISTINCT case_id) FROM events INDEXED BY events_resolve_by_actor
                    WHERE kind = 'resolve' AND actor_id = ? AND at >= ?
                    """, arguments: [agent.id, startOfDay]) ?? 0
                return AgentStatus(login: agent.login, name: agent.name, state: state,
                                   openCases: try Self.openCaseCount(db, assignee: agent.id), handledToday: handled)
            }
            let alerts = try Self.csatAlerts(db, team: teamId, agents: agents.map(\.id),
                                             since: at.addingTimeInterval(-Double(Self.csatAlertDays) * 86400),
                                             threshold: settings.csatAlertAtOrBelow)
            var board = Board(team: teamId == nil ? nil : me.team, agents: statuses,
                         depth: try Self.depth(db, team: teamId),
                         atRisk: try Self.boardRisk(db, team: teamId, agents: agents.map(\.id), before: riskBefore),
                         atRiskTotal: try Self.boardRiskCount(db, team: teamId, agents: agents.map(\.id), before: riskBefore),
                         csatAlerts: alerts.recent, csatAlertTotal: alerts.total)
            board.qaQueue = try Self.qaQueue(db, agents: agents.map(\.id), at: at)
            return board
        }
    }

    /// The active agents a board (and the QA queue) covers: a team's, or everyone's for nil.
    static func boardAgents(_ db: Database, team: Int64?) throws -> [User] {
        var query = SQL(sql: User.selectSQL) + " WHERE u.role = 'agent' AND u.active = 1"
        if let team { query += " AND u.team_id = \(team)" }
        return try Row.fetchAll(db, SQLRequest(literal: query + " ORDER BY u.name, u.login")).map(User.init(row:))
    }

    /// How many cases `boardRisk` would list without its limit: the same three sources,
    /// each case once, walking the open-by-due index over the at-risk range.
    static func boardRiskCount(_ db: Database, team: Int64?, agents: [Int64], before: Date) throws -> Int {
        var query = SQL(sql: "SELECT count(*) FROM cases c INDEXED BY cases_open_by_due WHERE c.\(Schema.openStatuses)" + SLAClock.atRiskSQL,
                        arguments: [before.timeIntervalSince1970])
        if let team {
            query += " AND (c.team_id = \(team) OR (c.team_id IS NULL AND c.assignee_id IS NULL)"
            if !agents.isEmpty { query += " OR c.assignee_id IN \(agents)" }
            query += ")"
        }
        return try Int.fetchOne(db, SQLRequest(literal: query)) ?? 0
    }

    /// Waiting (unassigned, open) cases per call type with the oldest arrival. A team's
    /// queue is its own cases plus the team-less ones its agents take from (as take-next).
    static func depth(_ db: Database, team: Int64?) throws -> [CallTypeDepth] {
        let base = """
            SELECT call_type, count(*) AS waiting, min(created_at) AS oldest
            FROM cases INDEXED BY cases_waiting_by_team_call_type
            WHERE assignee_id IS NULL AND \(Schema.openStatuses)
            """
        let rows: [Row]
        if let team {
            rows = try Row.fetchAll(db, sql: base + " AND team_id = ? GROUP BY call_type", arguments: [team])
                + Row.fetchAll(db, sql: base + " AND team_id IS NULL GROUP BY call_type")
        } else {
            rows = try Row.fetchAll(db, sql: base + " GROUP BY call_type")
        }
        var byType: [String?: CallTypeDepth] = [:]
        for row in rows {
            let code: String? = row["call_type"], waiting: Int = row["waiting"]
            let oldest = (row["oldest"] as Double?).map(Date.init(timeIntervalSince1970:))
            var d = byType[code] ?? CallTypeDepth(callType: code, waiting: 0, oldest: nil)
            d.waiting += waiting
            if let oldest { d.oldest = min(d.oldest ?? oldest, oldest) }
            byType[code] = d
        }
        // A stable order (by code, untyped last) so rows do not jump about on a live screen.
        return byType.values.sorted { ($0.callType ?? "\u{10FFFF}") < ($1.callType ?? "\u{10FFFF}") }
    }

    /// Open cases due before `before`, soonest first. A team's are those filed to it,
    /// the team-less ones waiting for anyone, and whatever its agents hold. Each source
    /// is an index range stopped at the limit that yields only (due, id); the few rows
    /// that make the cut are then read whole, by id.
    static func boardRisk(_ db: Database, team: Int64?, agents: [Int64], before: Date) throws -> [QueueRow] {
        let due = before.timeIntervalSince1970, limit = boardRiskLimit
        let tail = SLAClock.atRiskSQL + " ORDER BY c.due_at, c.id LIMIT ?"
        guard let team else {
            return try Row.fetchAll(db, sql: String(format: queueSelect, "cases_open_by_due") + tail,
                                    arguments: [due, limit]).map(QueueRow.init(row:))
        }
        let keys = "SELECT c.due_at, c.id FROM cases c INDEXED BY %@ WHERE c.\(Schema.openStatuses)"
        var candidates = try Row.fetchAll(db, sql: String(format: keys, "cases_open_by_team_due") + " AND c.team_id = ?" + tail,
                                          arguments: [team, due, limit])
        candidates += try Row.fetchAll(db, sql: String(format: keys, "cases_open_by_team_due")
                                       + " AND c.team_id IS NULL AND c.assignee_id IS NULL" + tail, arguments: [due, limit])
        for agent in agents {
            candidates += try Row.fetchAll(db, sql: String(format: keys, "cases_open_by_assignee_due") + " AND c.assignee_id = ?" + tail,
                                           arguments: [agent, due, limit])
        }
        var seen = Set<Int64>()
        let ids = candidates.map { (due: $0[0] as Double, id: $0[1] as Int64) }
            .sorted { ($0.due, $0.id) < ($1.due, $1.id) }
            .filter { seen.insert($0.id).inserted }
            .prefix(limit).map(\.id)
        guard !ids.isEmpty else { return [] }
        return try queueRows(db, ids: Array(ids), orderBy: "c.due_at, c.id")
    }
}
