import Foundation
import GRDB

// MARK: SLA

public struct SLARow: Codable, Equatable, Sendable {
    public var callType: String
    public var firstResponseTargetMinutes: Int?
    public var resolutionTargetMinutes: Int?
    public var cases: Int
    public var firstResponseMet: Int = 0
    public var firstResponseBreached: Int = 0
    public var firstResponsePending: Int = 0
    public var firstResponseAttainment: Double?
    public var resolutionMet: Int = 0
    public var resolutionBreached: Int = 0
    public var resolutionPending: Int = 0
    public var resolutionAttainment: Double?

    mutating func finish() {
        firstResponseAttainment = ratio(firstResponseMet, firstResponseMet + firstResponseBreached)
        resolutionAttainment = ratio(resolutionMet, resolutionMet + resolutionBreached)
    }
}

public struct SLAReport: Codable, Equatable, Sendable {
    public var period: ReportPeriod
    public var overall: SLARow
    public var byCallType: [SLARow]
    /// Created in the period with no call type: no target to measure against.
    public var withoutCallType: Int
}

extension CaseStore {
    /// First-response and resolution SLA of cases created in the period, in business time
    /// against each call type's targets; the resolution clock leaves out time paused while
    /// pending (SLAClock), so a case breaches here exactly when the queue clock shows it overdue.
    /// A case not yet answered (resolved) counts as breached once its target has passed, and
    /// as pending (left out of attainment) until then.
    public func slaReport(_ period: ReportPeriod) throws -> SLAReport {
        let calendar = try businessCalendar()
        let nowDate = now()
        return try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.call_type AS call_type, c.created_at AS created_at, c.first_response_at AS first_response_at,
                       c.resolved_at AS resolved_at, t.first_response_minutes AS fr, t.resolution_minutes AS res,
                       c.sla_paused_at AS paused_at, c.sla_paused_seconds AS paused_seconds
                FROM cases c JOIN call_types t ON t.code = c.call_type
                WHERE c.created_at >= ? AND c.created_at < ?
                """, arguments: range(period))
            let without = try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE created_at >= ? AND created_at < ? AND call_type IS NULL",
                                           arguments: range(period)) ?? 0
            var byType: [String: SLARow] = [:]
            var overall = SLARow(callType: "all", cases: 0)
            enum Outcome { case met, breached, pending }
            // SLAClock.elapsed: business time from creation, time paused taken out (first response never pauses).
            func outcome(_ created: Date, _ done: Double?, targetMinutes: Int, pausedSeconds: Double = 0, pausedAt: Double? = nil) -> Outcome {
                let target = Double(targetMinutes) * 60
                let end = done.map(Date.init(timeIntervalSince1970:)) ?? nowDate
                let elapsed = SLAClock.elapsed(calendar, created: created, end: end, pausedSeconds: pausedSeconds,
                                               pausedAt: pausedAt.map(Date.init(timeIntervalSince1970:)))
                if done != nil { return elapsed <= target ? .met : .breached }
                return elapsed > target ? .breached : .pending
            }
            for row in rows {
                let ct: String = row["call_type"]
                let created = Date(timeIntervalSince1970: row["created_at"])
                let frTarget: Int = row["fr"], resTarget: Int = row["res"]
                var r = byType[ct] ?? SLARow(callType: ct, firstResponseTargetMinutes: frTarget, resolutionTargetMinutes: resTarget, cases: 0)
                r.cases += 1; overall.cases += 1
                switch outcome(created, row["first_response_at"], targetMinutes: frTarget) {
                case .met: r.firstResponseMet += 1; overall.firstResponseMet += 1
                case .breached: r.firstResponseBreached += 1; overall.firstResponseBreached += 1
                case .pending: r.firstResponsePending += 1; overall.firstResponsePending += 1
                }
                switch outcome(created, row["resolved_at"], targetMinutes: resTarget, pausedSeconds: row["paused_seconds"] ?? 0,
                               pausedAt: row["paused_at"]) {
                case .met: r.resolutionMet += 1; overall.resolutionMet += 1
                case .breached: r.resolutionBreached += 1; overall.resolutionBreached += 1
                case .pending: r.resolutionPending += 1; overall.resolutionPending += 1
                }
                byType[ct] = r
            }
            overall.finish()
            return SLAReport(period: period, overall: overall,
                             byCallType: byType.keys.sorted().map { var r = byType[$0]!; r.finish(); return r },
                             withoutCallType: without)
        }
    }
}
