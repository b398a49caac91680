import Foundation
import GRDB

// MARK: FCR

public struct FCRRow: Codable, Equatable, Sendable {
    public var callType: String
    public var resolved: Int
    public var firstContact: Int
    public var repeated: Int
    public var rate: Double?
}

public struct FCRReport: Codable, Equatable, Sendable {
    public var period: ReportPeriod
    public var windowDays: Int
    public var overall: FCRRow
    public var byCallType: [FCRRow]
    /// Counted as first-contact so far, but their window has not ended yet.
    public var windowStillOpen: Int
}

extension CaseStore {
    /// First-contact resolution of cases resolved in the period: no later case from the same
    /// customer with the same call type created before `windowDays` days after the resolution.
    public func fcrReport(_ period: ReportPeriod, windowDays: Int = 7) throws -> FCRReport {
        guard windowDays > 0 else { throw CaseError.invalid("--window-days must be at least 1, not \(windowDays)") }
        let window = Double(windowDays) * 86400
        let nowSeconds = now().timeIntervalSince1970
        return try read { db in
            // The repeat lookup walks cases_by_customer(customer_id, created_at).
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.call_type AS call_type, c.resolved_at AS resolved_at,
                  EXISTS (SELECT 1 FROM cases r
                          WHERE r.customer_id = c.customer_id AND r.created_at >= c.created_at
                            AND r.created_at <= c.resolved_at + ? AND r.id <> c.id
                            AND r.call_type = c.call_type
                            AND (r.created_at > c.created_at OR r.id > c.id)) AS repeated
                FROM cases c
                WHERE c.resolved_at >= ? AND c.resolved_at < ? AND c.call_type IS NOT NULL
                """, arguments: [window, period.from.timeIntervalSince1970, period.to.timeIntervalSince1970])
            var byType: [String: FCRRow] = [:]
            var overall = FCRRow(callType: "all", resolved: 0, firstContact: 0, repeated: 0)
            var stillOpen = 0
            for row in rows {
                let ct: String = row["call_type"]
                let repeated: Bool = row["repeated"]
                var r = byType[ct] ?? FCRRow(callType: ct, resolved: 0, firstContact: 0, repeated: 0)
                r.resolved += 1; overall.resolved += 1
                if repeated { r.repeated += 1; overall.repeated += 1 } else {
                    r.firstContact += 1; overall.firstContact += 1
                    if (row["resolved_at"] as Double) + window > nowSeconds { stillOpen += 1 }
                }
                byType[ct] = r
            }
            overall.rate = ratio(overall.firstContact, overall.resolved)
            let rowsOut = byType.keys.sorted().map { k -> FCRRow in
                var r = byType[k]!; r.rate = ratio(r.firstContact, r.resolved); return r
            }
            return FCRReport(period: period, windowDays: windowDays, overall: overall, byCallType: rowsOut, windowStillOpen: stillOpen)
        }
    }
}
