import Foundation
import GRDB

/// `casedesk doctor`'s consistency checks: figures built on impossible rows (work after a
/// case was resolved, one agent on two cases at once) would mislead a lead, so each is counted.
enum ConsistencyChecks {
    struct Finding { var name: String; var count: Int }

    static func run(_ db: Database, now: Date) throws -> [Finding] {
        func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
        var out: [Finding] = []
        // Inside the case's life: not before it was created, not after it was (last) resolved.
        out.append(Finding(name: "work intervals outside their case's life", count: try count("""
            SELECT count(*) FROM work_intervals w JOIN cases c ON c.id = w.case_id
            WHERE w.started_at < c.created_at
               OR (c.resolved_at IS NOT NULL AND coalesce(w.ended_at, w.started_at) > c.resolved_at)
               OR w.ended_at < w.started_at
            """)))
        // One agent, one case at a time: an interval that starts before an earlier one of the
        // same agent has ended (one pass in start order per agent).
        out.append(Finding(name: "work intervals overlapping another of the same agent", count: try count("""
            SELECT count(*) FROM (
              SELECT started_at, max(coalesce(ended_at, 1e300)) OVER (
                PARTITION BY user_id ORDER BY started_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier_end
              FROM work_intervals)
            WHERE started_at < earlier_end
            """)))
        out.append(Finding(name: "CSAT answers dated before the case was resolved", count: try count(
            "SELECT count(*) FROM cases WHERE csat_at IS NOT NULL AND resolved_at IS NOT NULL AND csat_at < resolved_at")))
        out.append(Finding(name: "CSAT answers dated after now", count: try Int.fetchOne(db, sql:
            "SELECT count(*) FROM cases WHERE csat_at > ?", arguments: [now.timeIntervalSince1970]) ?? 0))
        out.append(Finding(name: "resolved or closed cases without a resolution code", count: try count(
            "SELECT count(*) FROM cases WHERE \(CaseStatus.doneSQL()) AND (resolution_code IS NULL OR resolved_at IS NULL)")))
        out.append(Finding(name: "cases paused while not pending", count: try count(
            "SELECT count(*) FROM cases WHERE sla_paused_at IS NOT NULL AND status <> 'pending'")))
        return out
    }
}
