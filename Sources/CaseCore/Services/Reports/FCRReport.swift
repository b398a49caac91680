import Foundation
import GRDB

// MARK: FCR

public struct FCRRow: Codable, Equatable, Sendable {
    public var callType: String
    /// Cases whose first resolution falls in the period.
    public var resolved: Int
    public var firstContact: Int
    /// Not first contact, for any of the reasons below (a case counts once).
    public var repeated: Int
    public var rate: Double?
    /// Of the repeated: a later case from the same customer for the same call type.
    public var repeatCases: Int = 0
    /// Of the repeated: the customer wrote or called on the case after it was resolved.
    public var contactAfterResolution: Int = 0
    /// Of the repeated: the case was reopened.
    public var reopened: Int = 0

    public init(callType: String, resolved: Int, firstContact: Int, repeated: Int, rate: Double? = nil) {
        self.callType = callType; self.resolved = resolved; self.firstContact = firstContact; self.repeated = repeated; self.rate = rate
    }
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
    /// The event kinds that are the customer reaching us (a call, a message, a line in training).
    static let customerContactKinds = "('call','message','customer_line')"

    /// First-contact resolution, the one definition: a case whose FIRST resolution falls in the
    /// period is resolved at first contact unless, within the repeat window after that first
    /// resolution (the pack's `repeat_window_days` unless `windowDays` is given):
    ///  - the same customer opened another case with the same call type, or
    ///  - the customer called or wrote on the case again, or
    ///  - the case was reopened.
    /// A case resolved, reopened and resolved again counts once, at its first resolution, and
    /// is not first contact. Cases with no resolve event (loaded in bulk) use `resolved_at`.
    public func fcrReport(_ period: ReportPeriod, windowDays: Int? = nil) throws -> FCRReport {
        let windowDays = try windowDays ?? serviceSettings().repeatWindowDays
        guard windowDays > 0 else { throw CaseError.invalid("--window-days must be at least 1, not \(windowDays)") }
        let window = Double(windowDays) * 86400
        let nowSeconds = now().timeIntervalSince1970
        let from = period.from.timeIntervalSince1970, to = period.to.timeIntervalSince1970
        return try read { db in
            // First resolutions in the period: resolve events through events_resolve_at, and
            // resolved cases that have no resolve event at all.
            let rows = try Row.fetchAll(db, sql: """
                WITH firsts(case_id, first) AS (
                  SELECT e.case_id, e.at FROM events e INDEXED BY events_resolve_at
                  WHERE e.kind = 'resolve' AND e.at >= ? AND e.at < ?
                    AND NOT EXISTS (SELECT 1 FROM events p WHERE p.case_id = e.case_id AND p.kind = 'resolve' AND p.id < e.id)
                  UNION ALL
                  SELECT c.id, c.resolved_at FROM cases c
                  WHERE c.resolved_at >= ? AND c.resolved_at < ?
                    AND NOT EXISTS (SELECT 1 FROM events p WHERE p.case_id = c.id AND p.kind = 'resolve'))
                SELECT c.call_type AS call_type, f.first AS first,
                  EXISTS (SELECT 1 FROM cases r
                          WHERE r.customer_id = c.customer_id AND r.created_at >= c.created_at
                            AND r.created_at <= f.first + ? AND r.id <> c.id
                            AND r.call_type = c.call_type
                            AND (r.created_at > c.created_at OR r.id > c.id)) AS repeat_case,
                  EXISTS (SELECT 1 FROM events m WHERE m.case_id = c.id AND m.kind IN \(Self.customerContactKinds)
                            AND m.at > f.first AND m.at <= f.first + ?) AS contacted,
                  EXISTS (SELECT 1 FROM events s WHERE s.case_id = c.id AND s.kind = 'status'
                            AND \(CaseStatus.doneSQL("s.old_value")) AND \(CaseStatus.openSQL("s.new_value"))
                            AND s.at >= f.first AND s.at <= f.first + ?) AS reopened
                FROM firsts f JOIN cases c ON c.id = f.case_id
                WHERE c.call_type IS NOT NULL
                """, arguments: [from, to, from, to, window, window, window])
            var byType: [String: FCRRow] = [:]
            var overall = FCRRow(callType: "all", resolved: 0, firstContact: 0, repeated: 0)
            var stillOpen = 0
            for row in rows {
                let ct: String = row["call_type"]
                let repeatCase: Bool = row["repeat_case"], contacted: Bool = row["contacted"], reopened: Bool = row["reopened"]
                var r = byType[ct] ?? FCRRow(callType: ct, resolved: 0, firstContact: 0, repeated: 0)
                for i in 0..<2 {
                    var x = i == 0 ? r : overall
                    x.resolved += 1
                    if repeatCase || contacted || reopened {
                        x.repeated += 1
                        if repeatCase { x.repeatCases += 1 }
                        if contacted { x.contactAfterResolution += 1 }
                        if reopened { x.reopened += 1 }
                    } else {
                        x.firstContact += 1
                    }
                    if i == 0 { r = x } else { overall = x }
                }
                if !(repeatCase || contacted || reopened), (row["first"] as Double) + window > nowSeconds { stillOpen += 1 }
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
