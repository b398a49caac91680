import Foundation
import GRDB

// MARK: staffing

public struct StaffingRow: Codable, Equatable, Sendable {
    public var weekday: Int
    public var day: String
    public var hour: Int
    public var arrivals: Int
    public var arrivalsPerHour: Double
    public var offeredErlangs: Double
    /// Agents on the phones: Erlang C for the target, raised to keep occupancy under the cap.
    public var agents: Int
    public var probabilityOfWait: Double
    public var serviceLevel: Double
    public var occupancy: Double
    public var averageSpeedOfAnswerSeconds: Double
    /// Agents to schedule: `agents` ÷ (1 − shrinkage), rounded up.
    public var scheduled: Int = 0
}

/// Opening hours the arrival pattern suggests for one weekday: the shortest run of whole
/// hours holding at least `StaffingReport.suggestedShare` of that weekday's arrivals.
public struct SuggestedHours: Codable, Equatable, Sendable {
    public var weekday: Int
    public var day: String
    public var openHour: Int
    public var closeHour: Int
    public var share: Double
}

public struct StaffingReport: Codable, Equatable, Sendable {
    public static let suggestedShare = 0.95
    public var period: ReportPeriod
    public var target: Double
    public var withinSeconds: Double
    public var ahtSeconds: Double?
    /// "measured" (AHT report over the same period) or "given" (--aht-seconds).
    public var ahtSource: String
    /// Where the arrival rates come from: "forecast" (this week's, `report forecast`) or
    /// "history" (the period's arrivals).
    public var arrivalSource: String = "history"
    /// Why the rates are the period's history when the forecast was asked for (too little
    /// history for one), nil otherwise.
    public var arrivalNote: String?
    public var shrinkage: Double
    public var occupancyCap: Double
    /// Only the weekday-hours the centre is open (the pack's weekly hours) that saw arrivals.
    public var rows: [StaffingRow]
    /// Arrivals in hours the centre is closed: not staffed, shown so nothing is hidden.
    public var closedHourArrivals: Int
    public var suggestedHours: [SuggestedHours]
}

/// Sizing one interval: the published worked example in StaffingTests checks it.
public enum StaffingMath {
    /// Agents for `traffic` Erlangs meeting `target` within `within` seconds with occupancy at
    /// most `occupancyCap`, and the agents to schedule once `shrinkage` is taken off.
    public static func size(traffic: Double, ahtSeconds: Double, target: Double, within: Double,
                            occupancyCap: Double, shrinkage: Double) -> (agents: Int, scheduled: Int) {
        guard traffic > 0 else { return (0, 0) }
        var n = ErlangC.agentsNeeded(traffic: traffic, ahtSeconds: ahtSeconds, target: target, within: within)
        n = max(n, Int((traffic / occupancyCap - 1e-9).rounded(.up)))
        return (n, Int((Double(n) / (1 - shrinkage) - 1e-9).rounded(.up)))
    }

    /// The shortest run of hours [open, close) holding at least `share` of the counts.
    static func suggested(_ counts: [Int], share: Double) -> (open: Int, close: Int, share: Double)? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        var best: (Int, Int, Int)?
        for a in 0..<counts.count {
            var sum = 0
            for b in a..<counts.count {
                sum += counts[b]
                if Double(sum) >= share * Double(total) {
                    if best == nil || b + 1 - a < best!.1 - best!.0 { best = (a, b + 1, sum) }
                    break
                }
            }
        }
        return best.map { ($0.0, $0.1, Double($0.2) / Double(total)) }
    }
}

/// Where staffing takes its arrival rates from.
public enum ArrivalRates: String, Sendable {
    /// This week's forecast (`report forecast`), or the period's history with a note when
    /// there is too little history for a forecast.
    case forecast
    /// The period's arrivals per weekday-hour.
    case history
}

extension CaseStore {
    /// Staffing from the forecast (the default of `report staffing`) or from history.
    /// Too little history for a forecast falls back to the period's arrivals and says why in
    /// `arrivalNote`, so a new centre still gets a plan.
    public func staffingReport(_ period: ReportPeriod, target: Double = 0.8, withinSeconds: Double = 20,
                               ahtSeconds given: Double? = nil, shrinkage: Double? = nil, occupancyCap: Double? = nil,
                               arrivals: ArrivalRates) throws -> StaffingReport {
        var forecast: ForecastReport?, note: String?
        if arrivals == .forecast {
            if let short = try forecastHistory().shortfall { note = short } else { forecast = try forecastReport(weeks: 1) }
        }
        var r = try staffingReport(period, target: target, withinSeconds: withinSeconds, ahtSeconds: given, shrinkage: shrinkage,
                                   occupancyCap: occupancyCap, forecast: forecast)
        r.arrivalNote = note
        return r
    }

    /// Agents needed per weekday-hour the centre is open: the arrival rate is the period's
    /// arrivals in that weekday-hour divided by how many of that weekday the period holds; AHT
    /// is the period's measured AHT unless `ahtSeconds` is given; Erlang C sizes each hour for
    /// the target, the occupancy cap and shrinkage (the pack's unless given) come on top.
    public func staffingReport(_ period: ReportPeriod, target: Double = 0.8, withinSeconds: Double = 20,
                               ahtSeconds given: Double? = nil, shrinkage: Double? = nil, occupancyCap: Double? = nil,
                               forecast: ForecastReport? = nil) throws -> StaffingReport {
        guard target > 0, target < 1 else { throw CaseError.invalid("--target must be between 0 and 1 (e.g. 0.8), not \(target)") }
        guard withinSeconds >= 0 else { throw CaseError.invalid("--within-seconds cannot be negative") }
        if let given, !(given > 0) { throw CaseError.invalid("--aht-seconds must be positive") }
        let settings = try serviceSettings()
        let shrinkage = shrinkage ?? settings.shrinkage, cap = occupancyCap ?? settings.occupancyCap
        guard (0..<1).contains(shrinkage) else { throw CaseError.invalid("--shrinkage must be from 0 to under 1 (e.g. 0.3), not \(shrinkage)") }
        guard cap > 0, cap <= 1 else { throw CaseError.invalid("--occupancy-cap must be above 0 and at most 1 (e.g. 0.85), not \(cap)") }
        let hours = try businessCalendar().hours
        let aht = try given ?? ahtReport(period).overall.averageSeconds
        let arrivals = try arrivalsReport(period)
        let cal = period.calendar
        var occurrences = [0, 0, 0, 0, 0, 0, 0]
        var d = period.from
        while d < period.to {
            occurrences[isoWeekday(cal, d) - 1] += 1
            d = cal.date(byAdding: .day, value: 1, to: d)!
        }
        func open(_ wd: Int, _ h: Int) -> Bool {
            guard let span = hours.days[wd + 1] else { return false }
            return span.openMinute < (h + 1) * 60 && span.closeMinute > h * 60
        }
        var rows: [StaffingRow] = []
        var closed = 0
        for wd in 0..<7 {
            for h in 0..<24 where arrivals.counts[wd][h] > 0 && !open(wd, h) { closed += arrivals.counts[wd][h] }
        }
        if let aht, aht > 0 {
            // With a forecast: its first week, half-hours summed to hours (Monday first).
            var forecastHours: [[Double]]?
            if let half = forecast?.total.halfHours {
                var hours = Array(repeating: Array(repeating: 0.0, count: 24), count: 7)
                for i in 0..<min(half.count, 336) { hours[i / 48][(i % 48) / 2] += half[i] }
                forecastHours = hours
            }
            for wd in 0..<7 where occurrences[wd] > 0 || forecastHours != nil {
                for h in 0..<24 where (forecastHours.map { $0[wd][h] > 0 } ?? (arrivals.counts[wd][h] > 0)) && open(wd, h) {
                    let perHour = forecastHours?[wd][h] ?? Double(arrivals.counts[wd][h]) / Double(occurrences[wd])
                    let a = perHour / 3600 * aht
                    let (n, scheduled) = StaffingMath.size(traffic: a, ahtSeconds: aht, target: target, within: withinSeconds,
                                                           occupancyCap: cap, shrinkage: shrinkage)
                    rows.append(StaffingRow(weekday: wd + 1, day: weekdayNames[wd], hour: h, arrivals: arrivals.counts[wd][h],
                                            arrivalsPerHour: perHour, offeredErlangs: a, agents: n,
                                            probabilityOfWait: ErlangC.probabilityOfWait(agents: n, traffic: a),
                                            serviceLevel: ErlangC.serviceLevel(agents: n, traffic: a, ahtSeconds: aht, within: withinSeconds),
                                            occupancy: n > 0 ? a / Double(n) : 0,
                                            averageSpeedOfAnswerSeconds: ErlangC.averageSpeedOfAnswer(agents: n, traffic: a, ahtSeconds: aht),
                                            scheduled: scheduled))
                }
            }
        }
        let suggested = (0..<7).compactMap { wd -> SuggestedHours? in
            StaffingMath.suggested(arrivals.counts[wd], share: StaffingReport.suggestedShare).map {
                SuggestedHours(weekday: wd + 1, day: weekdayNames[wd], openHour: $0.open, closeHour: $0.close, share: $0.share)
            }
        }
        return StaffingReport(period: period, target: target, withinSeconds: withinSeconds, ahtSeconds: aht,
                              ahtSource: given == nil ? "measured" : "given", arrivalSource: forecast == nil ? "history" : "forecast",
                              shrinkage: shrinkage, occupancyCap: cap,
                              rows: rows, closedHourArrivals: closed, suggestedHours: suggested)
    }
}
