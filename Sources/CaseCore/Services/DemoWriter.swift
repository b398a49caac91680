import Foundation
import GRDB

/// The demo's rows: cases, events, work intervals, flags and consults, in one pass.
extension DemoGenerator {
    mutating func insertCases(_ db: Database, _ sims: [Sim]) throws {
        let insertCase = try db.makeStatement(sql: """
            INSERT INTO cases(id, customer_id, channel, call_type, subject, status, priority, assignee_id, team_id, created_at,
                              first_response_at, due_at, resolved_at, resolution_code, csat, self_service, version, updated_at, updated_by,
                              csat_at, csat_comment, sla_paused_at, sla_paused_seconds)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        for (p, s) in zip(plans, sims) {
            try insertCase.execute(arguments: [
                p.id, clients[p.customer].id, p.channel.rawValue, s.callType, p.subject, s.status.rawValue, s.priority.rawValue,
                s.assignee, teamIds[p.team], p.created.timeIntervalSince1970, s.firstResponse, s.due,
                s.resolvedAt, s.code, s.csat, p.selfService, s.version, s.updatedAt, s.updatedBy,
                s.csatAt, s.csatComment, s.pausedAt, s.pausedSeconds,
            ])
            summary.cases += 1
            if s.status.isOpen { summary.openCases += 1; if s.assignee == nil { summary.unassignedOpen += 1 } }
            if s.status == .resolved { summary.resolvedCases += 1 }
        }

        // Events in time order across all cases, as a real log would hold them.
        var all: [(caseId: Int64, seq: Int, e: Ev)] = []
        all.reserveCapacity(sims.reduce(0) { $0 + $1.events.count })
        for (p, s) in zip(plans, sims) {
            for (k, e) in s.events.enumerated() { all.append((p.id, k, e)) }
        }
        all.sort { ($0.e.at, $0.caseId, $0.seq) < ($1.e.at, $1.caseId, $1.seq) }
        let insertEvent = try db.makeStatement(sql: """
            INSERT INTO events(case_id, at, actor_id, kind, channel, field, old_value, new_value, body) VALUES (?,?,?,?,?,?,?,?,?)
            """)
        for x in all {
            try insertEvent.execute(arguments: [x.caseId, x.e.at, x.e.actor, x.e.kind.rawValue, x.e.channel, x.e.field, x.e.old, x.e.new, x.e.body])
        }
        summary.events = all.count

        let insertInterval = try db.makeStatement(sql: "INSERT INTO work_intervals(case_id, user_id, started_at, ended_at) VALUES (?,?,?,?)")
        let insertFlag = try db.makeStatement(sql: "INSERT INTO rule_flags(case_id, user_id, at, rule, status, answer) VALUES (?,?,?,?,?,?)")
        let insertConsult = try db.makeStatement(sql: """
            INSERT INTO consults(case_id, from_id, expert_id, question, answer, asked_at, answered_at) VALUES (?,?,?,?,?,?,?)
            """)
        let cut = now.timeIntervalSince1970
        // One agent works one case at a time: cases are simulated apart, so overlaps are cut.
        let work = DemoClock.oneAtATime(zip(plans, sims).flatMap { p, s in
            s.intervals.map { DemoClock.Interval(caseId: p.id, agent: people[p.owner].id, start: $0.start, end: $0.end) }
        })
        for iv in work {
            try insertInterval.execute(arguments: [iv.caseId, iv.agent, iv.start, iv.end])
            summary.workIntervals += 1
        }
        for (p, s) in zip(plans, sims) {
            let worker = people[p.owner].id
            if let at = s.flagAt, let flag = s.events.first(where: { $0.kind == .flag }) {
                // Leads answer flags a day or three later; the newest still wait for them.
                let lead = person(p.team == 0 ? "dana" : "raj")
                let answeredAt = at + 86400 * (1 + Double(p.index % 3))
                let answered = answeredAt <= cut
                try insertFlag.execute(arguments: [p.id, answered ? lead.id : worker, at, flag.body!,
                                                   answered ? "answered" : "open",
                                                   answered ? topics.flagAnswer(p.index) : nil])
                summary.ruleFlags += 1
            }
            if let c = s.consult {
                try insertConsult.execute(arguments: [p.id, c.from, c.expert, c.question, c.answer, c.askedAt, c.answeredAt])
                summary.consults += 1
            }
        }
    }
}
