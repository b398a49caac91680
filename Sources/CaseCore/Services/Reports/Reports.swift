import Foundation
import GRDB

// Contact-centre reports. Each reads one snapshot of the database (one read transaction),
// selects rows by a range on cases.created_at, cases.resolved_at or rule_flags.at, and
// aggregates in Swift where the business-hours time zone or calendar matters.
//
// Indexes: the schema has none on cases(created_at), cases(resolved_at) or rule_flags(at),
// so these ranges scan the table (fine at demo size; about a second per report at a million
// cases). Suggested, not added here: see docs/reports.md, "Indexes".

// MARK: AHT

public struct HandleStats: Codable, Equatable, Sendable {
    public var key: String
    public var cases: Int
    public var totalSeconds: Double
    public var averageSeconds: Double?
    public var p50Seconds: Double?
    public var p90Seconds: Double?

    init(key: String, seconds: [Double]) {
        let sorted = seconds.sorted()
        self.key = key
        cases = sorted.count
        totalSeconds = sorted.reduce(0, +)
        averageSeconds = sorted.isEmpty ? nil : totalSeconds / Double(sorted.count)
        p50Seconds = nearestRank(sorted, 0.5)
        p90Seconds = nearestRank(sorted, 0.9)
    }
}

public struct AHTReport: Codable, Equatable, Sendable {
    public var period: ReportPeriod
    public var overall: HandleStats
    public var byCallType: [HandleStats]
    /// Per agent: the agent's own work per case they worked on.
    public var byAgent: [HandleStats]
    /// Resolved in the period with no work interval at all: no handle time to count.
    public var resolvedWithoutWork: Int
}

// MARK: volume

public struct VolumeRow: Codable, Equatable, Sendable {
    public var key: String
    public var cases: Int
    public var share: Double?
    public var selfServiceAttempted: Int
    public var selfServiceShare: Double?

    public init(key: String, cases: Int, share: Double?, selfServiceAttempted: Int, selfServiceShare: Double?) {
        self.key = key; self.cases = cases; self.share = share
        self.selfServiceAttempted = selfServiceAttempted; self.selfServiceShare = selfServiceShare
    }
}

public struct VolumeReport: Codable, Equatable, Sendable {
    public var period: ReportPeriod
    public var total: Int
    public var selfServiceAttempted: Int
    public var selfServiceShare: Double?
    public var byCallType: [VolumeRow]
    public var byChannel: [VolumeRow]
}

// MARK: arrivals

public struct ArrivalsReport: Codable, Equatable, Sendable {
    public var period: ReportPeriod
    public var total: Int
    /// counts[weekday − 1][hour]: Monday first, hours 0–23 in the business-hours time zone.
    public var counts: [[Int]]
    public var byWeekday: [Int]
    public var byHour: [Int]
}

// MARK: flags

public struct FlagGroup: Codable, Equatable, Sendable {
    /// The rule as first written (trimmed); grouping ignores case and extra spaces.
    public var rule: String
    public var count: Int
    public var open: Int
    public var answered: Int
    public var firstSeen: Date
    public var lastSeen: Date
    public var callTypes: [String]
    public var agents: Int
    public var cases: Int
}

public struct FlagsReport: Codable, Equatable, Sendable {
    public var period: ReportPeriod
    public var total: Int
    public var groups: [FlagGroup]
}

// MARK: queries

extension CaseStore {
    /// The period for `--from`/`--to`, in the business-hours time zone, ending today by default.
    public func reportPeriod(from: String?, to: String?, defaultDays: Int = 28) throws -> ReportPeriod {
        let zone = TimeZone(identifier: try businessCalendar().hours.timeZone) ?? TimeZone(identifier: "UTC")!
        return try ReportPeriod.parse(from: from, to: to, now: now(), timeZone: zone, defaultDays: defaultDays)
    }

    func range(_ p: ReportPeriod) -> StatementArguments { [p.from.timeIntervalSince1970, p.to.timeIntervalSince1970] }

    static func logins(_ db: Database) throws -> [Int64: String] {
        var m: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, login FROM users") { m[row["id"]] = row["login"] }
        return m
    }

    static let noCallType = "(none)"
    static let unassigned = "(unassigned)"

    /// Average handle time of cases resolved in the period: the sum of each case's work
    /// intervals (an interval left open counts up to the resolution).
    public func ahtReport(_ period: ReportPeriod) throws -> AHTReport {
        try read { db in
            let logins = try Self.logins(db)
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.id AS case_id, c.call_type AS call_type, w.user_id AS user_id,
                       sum(max(0, coalesce(w.ended_at, c.resolved_at) - w.started_at)) AS seconds
                FROM cases c JOIN work_intervals w ON w.case_id = c.id
                WHERE c.resolved_at >= ? AND c.resolved_at < ?
                GROUP BY c.id, w.user_id
                """, arguments: range(period))
            var perCase: [Int64: (callType: String, seconds: Double)] = [:]
            var perAgent: [String: [Double]] = [:]
            for row in rows {
                let id: Int64 = row["case_id"]
                let seconds: Double = row["seconds"] ?? 0
                let ct: String = row["call_type"] ?? Self.noCallType
                perCase[id, default: (ct, 0)].seconds += seconds
                let uid: Int64 = row["user_id"]
                perAgent[logins[uid] ?? "#\(uid)", default: []].append(seconds)
            }
            var perType: [String: [Double]] = [:]
            for (_, c) in perCase { perType[c.callType, default: []].append(c.seconds) }
            let without = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM cases c WHERE c.resolved_at >= ? AND c.resolved_at < ?
                  AND NOT EXISTS (SELECT 1 FROM work_intervals w WHERE w.case_id = c.id)
                """, arguments: range(period)) ?? 0
            return AHTReport(period: period, overall: HandleStats(key: "all", seconds: perCase.values.map(\.seconds)),
                             byCallType: perType.keys.sorted().map { HandleStats(key: $0, seconds: perType[$0]!) },
                             byAgent: perAgent.keys.sorted().map { HandleStats(key: $0, seconds: perAgent[$0]!) },
                             resolvedWithoutWork: without)
        }
    }

    /// Cases created in the period by call type and by channel, with how many tried self-service first.
    public func volumeReport(_ period: ReportPeriod) throws -> VolumeReport {
        try read { db in
            func grouped(_ column: String) throws -> [(String, Int, Int)] {
                try Row.fetchAll(db, sql: """
                    SELECT coalesce(\(column), '\(Self.noCallType)') AS k, count(*) AS n, sum(self_service <> 0) AS s
                    FROM cases WHERE created_at >= ? AND created_at < ? GROUP BY k
                    """, arguments: range(period)).map { ($0["k"], $0["n"], $0["s"] ?? 0) }
            }
            let types = try grouped("call_type"), channels = try grouped("channel")
            let total = types.reduce(0) { $0 + $1.1 }, selfService = types.reduce(0) { $0 + $1.2 }
            func rows(_ g: [(String, Int, Int)]) -> [VolumeRow] {
                g.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.map {
                    VolumeRow(key: $0.0, cases: $0.1, share: ratio($0.1, total), selfServiceAttempted: $0.2, selfServiceShare: ratio($0.2, $0.1))
                }
            }
            return VolumeReport(period: period, total: total, selfServiceAttempted: selfService,
                                selfServiceShare: ratio(selfService, total), byCallType: rows(types), byChannel: rows(channels))
        }
    }

    /// Cases created in the period by weekday × hour of day, in the business-hours time zone.
    public func arrivalsReport(_ period: ReportPeriod) throws -> ArrivalsReport {
        let cal = period.calendar
        let times = try read { db in
            try Double.fetchAll(db, sql: "SELECT created_at FROM cases WHERE created_at >= ? AND created_at < ?", arguments: range(period))
        }
        var counts = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for t in times {
            let c = cal.dateComponents([.weekday, .hour], from: Date(timeIntervalSince1970: t))
            counts[(c.weekday! + 5) % 7][c.hour!] += 1
        }
        return ArrivalsReport(period: period, total: times.count, counts: counts,
                              byWeekday: counts.map { $0.reduce(0, +) },
                              byHour: (0..<24).map { h in counts.reduce(0) { $0 + $1[h] } })
    }

    /// Rule flags raised in the period, grouped by the rule's text ignoring case and spacing.
    public func flagsReport(_ period: ReportPeriod) throws -> FlagsReport {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.case_id, f.user_id, f.at, f.rule, f.status, c.call_type
                FROM rule_flags f JOIN cases c ON c.id = f.case_id
                WHERE f.at >= ? AND f.at < ? ORDER BY f.at, f.id
                """, arguments: range(period))
            var order: [String] = []
            var groups: [String: (g: FlagGroup, types: Set<String>, agents: Set<Int64>, cases: Set<Int64>)] = [:]
            for row in rows {
                let rule = (row["rule"] as String).trimmingCharacters(in: .whitespacesAndNewlines)
                let key = rule.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
                let at = Date(timeIntervalSince1970: row["at"])
                if groups[key] == nil {
                    order.append(key)
                    groups[key] = (FlagGroup(rule: rule, count: 0, open: 0, answered: 0, firstSeen: at, lastSeen: at,
                                             callTypes: [], agents: 0, cases: 0), [], [], [])
                }
                groups[key]!.g.count += 1
                if (row["status"] as String) == "answered" { groups[key]!.g.answered += 1 } else { groups[key]!.g.open += 1 }
                groups[key]!.g.firstSeen = min(groups[key]!.g.firstSeen, at)
                groups[key]!.g.lastSeen = max(groups[key]!.g.lastSeen, at)
                groups[key]!.types.insert(row["call_type"] ?? Self.noCallType)
                groups[key]!.agents.insert(row["user_id"])
                groups[key]!.cases.insert(row["case_id"])
            }
            let out = order.map { key -> FlagGroup in
                let e = groups[key]!
                var g = e.g
                g.callTypes = e.types.sorted(); g.agents = e.agents.count; g.cases = e.cases.count
                return g
            }.sorted { ($0.count, $0.lastSeen) > ($1.count, $1.lastSeen) }
            return FlagsReport(period: period, total: rows.count, groups: out)
        }
    }
}
