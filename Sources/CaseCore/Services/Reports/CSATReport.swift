import Foundation
import GRDB

// MARK: CSAT

public struct CSATRow: Codable, Equatable, Sendable {
    public var key: String
    public var responses: Int
    public var average: Double?
    /// How many gave 1, 2, 3, 4 and 5.
    public var distribution: [Int]
    /// Cases resolved in the period (for this key), answered or not.
    public var resolved: Int = 0
    /// responses ÷ resolved.
    public var responseRate: Double?

    init(key: String, scores: [Int], resolved: Int = 0) {
        self.key = key
        responses = scores.count
        average = scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count)
        var d = [0, 0, 0, 0, 0]
        for s in scores where (1...5).contains(s) { d[s - 1] += 1 }
        distribution = d
        self.resolved = resolved
        responseRate = ratio(scores.count, resolved)
    }
}

public struct CSATWeek: Codable, Equatable, Sendable {
    /// The Monday that starts the week (business-hours time zone).
    public var weekStarting: String
    public var responses: Int
    public var average: Double?
    public var resolved: Int = 0
    public var responseRate: Double? = nil
}

/// One call type's CSAT week by week.
public struct CSATTrend: Codable, Equatable, Sendable {
    public var callType: String
    public var weeks: [CSATWeek]
}

public struct CSATReport: Codable, Equatable, Sendable {
    public var period: ReportPeriod
    public var overall: CSATRow
    public var byCallType: [CSATRow]
    public var byAgent: [CSATRow]
    public var weekly: [CSATWeek]
    /// The weekly trend per call type (call types with a case resolved in the period).
    public var weeklyByCallType: [CSATTrend]
}

extension CaseStore {
    /// CSAT of cases resolved in the period, whenever the answer arrived (at resolution or
    /// later from a survey): by call type, by the agent the case was assigned to, and week by
    /// week overall and per call type (weeks start on Monday, by the week of resolution).
    /// The response rate is answered ÷ resolved for each of these.
    public func csatReport(_ period: ReportPeriod) throws -> CSATReport {
        let cal = period.calendar
        return try read { db in
            let logins = try Self.logins(db)
            let rows = try Row.fetchAll(db, sql: """
                SELECT call_type, assignee_id, resolved_at, csat FROM cases
                WHERE resolved_at >= ? AND resolved_at < ?
                """, arguments: range(period))
            struct Bucket { var scores: [Int] = []; var resolved = 0
                mutating func add(_ s: Int?) { resolved += 1; if let s { scores.append(s) } } }
            var all = Bucket(), byType: [String: Bucket] = [:], byAgent: [String: Bucket] = [:]
            var byWeek: [Date: Bucket] = [:], byTypeWeek: [String: [Date: Bucket]] = [:]
            for row in rows {
                let score: Int? = row["csat"]
                let type: String = row["call_type"] ?? Self.noCallType
                let agent: Int64? = row["assignee_id"]
                let week = Self.weekStart(cal, Date(timeIntervalSince1970: row["resolved_at"]))
                all.add(score)
                byType[type, default: Bucket()].add(score)
                byAgent[agent.map { logins[$0] ?? "#\($0)" } ?? Self.unassigned, default: Bucket()].add(score)
                byWeek[week, default: Bucket()].add(score)
                byTypeWeek[type, default: [:]][week, default: Bucket()].add(score)
            }
            func weeks(_ buckets: [Date: Bucket]) -> [CSATWeek] {
                var out: [CSATWeek] = []
                var w = Self.weekStart(cal, period.from)
                while w < period.to {
                    let b = buckets[w] ?? Bucket()
                    out.append(CSATWeek(weekStarting: ReportPeriod.text(w, cal), responses: b.scores.count,
                                        average: b.scores.isEmpty ? nil : Double(b.scores.reduce(0, +)) / Double(b.scores.count),
                                        resolved: b.resolved, responseRate: ratio(b.scores.count, b.resolved)))
                    w = cal.date(byAdding: .day, value: 7, to: w)!
                }
                return out
            }
            func row(_ key: String, _ b: Bucket) -> CSATRow { CSATRow(key: key, scores: b.scores, resolved: b.resolved) }
            return CSATReport(period: period, overall: row("all", all),
                              byCallType: byType.keys.sorted().map { row($0, byType[$0]!) },
                              byAgent: byAgent.keys.sorted().map { row($0, byAgent[$0]!) },
                              weekly: weeks(byWeek),
                              weeklyByCallType: byTypeWeek.keys.sorted().map { CSATTrend(callType: $0, weeks: weeks(byTypeWeek[$0]!)) })
        }
    }

    static func weekStart(_ cal: Calendar, _ date: Date) -> Date {
        let day = cal.startOfDay(for: date)
        return cal.date(byAdding: .day, value: -(isoWeekday(cal, day) - 1), to: day)!
    }
}
