import Foundation
import GRDB

public struct ForecastDay: Codable, Equatable, Sendable {
    public var date: String
    public var total: Double
    /// The busiest half-hour of the day and its forecast.
    public var peakSlot: String
    public var peak: Double
}

public struct ForecastSeries: Codable, Equatable, Sendable {
    public var callType: String
    /// Arrivals per half-hour from the first forecast Monday 00:00 (pack zone), 336 a week.
    public var halfHours: [Double]
    public var days: [ForecastDay]
    public var historyArrivals: Int
}

public struct ForecastBacktest: Codable, Equatable, Sendable {
    /// The weeks held back: the forecast is fitted without them and compared with them.
    public var heldBackWeeks: Int
    public var mape: Double?
    public var wape: Double?
    public var seasonalNaiveMape: Double?
    public var seasonalNaiveWape: Double?
}

public struct ForecastReport: Codable, Equatable, Sendable {
    public var method: String
    public var historyFrom: String
    public var historyWeeks: Int
    public var weeks: Int
    public var firstDay: String
    public var total: ForecastSeries
    public var byCallType: [ForecastSeries]
    /// Errors on all arrivals per half-hour (every call type together).
    public var backtest: ForecastBacktest?
}

/// The whole weeks a forecast learns from, and why they are too few (nil: enough).
struct ForecastHistory: Sendable {
    var calendar: Calendar
    /// This week's Monday (pack zone): the first forecast day, the end of the history.
    var thisWeek: Date
    var start: Date
    var weeks: Int
    /// Two seasons to start the trend from.
    static let minimumWeeks = 2
    var shortfall: String? {
        weeks >= Self.minimumWeeks ? nil
            : "a forecast needs at least two whole weeks of history (Monday to Sunday: two seasons to start its trend from); there \(weeks == 1 ? "is 1" : "are \(weeks)")"
    }
}

extension CaseStore {
    static let slotsPerWeek = 336

    /// The last `historyWeeks` whole weeks before this week's Monday (pack zone) that the data
    /// covers: from the Monday of the oldest case's week if that case came on the Monday, else
    /// from the Monday after.
    func forecastHistory(historyWeeks: Int = 8) throws -> ForecastHistory {
        let cal = try businessCalendar().calendar
        let thisWeek = Self.weekStart(cal, now())
        var start = cal.date(byAdding: .day, value: -7 * historyWeeks, to: thisWeek)!
        let first = try read { db in try Double.fetchOne(db, sql: "SELECT min(created_at) FROM cases") }
        if let first, Date(timeIntervalSince1970: first) > start {
            let oldest = cal.startOfDay(for: Date(timeIntervalSince1970: first))
            let monday = Self.weekStart(cal, oldest)
            start = monday < oldest ? cal.date(byAdding: .day, value: 7, to: monday)! : monday
        }
        let weeks = first == nil ? 0 : max(0, (cal.dateComponents([.day], from: start, to: thisWeek).day ?? 0) / 7)
        return ForecastHistory(calendar: cal, thisWeek: thisWeek, start: start, weeks: weeks)
    }

    /// Arrivals per half-hour for the next `weeks` weeks, per call type and in total, by additive
    /// Holt-Winters on the last `historyWeeks` whole weeks (Monday to Sunday in the pack's
    /// zone), with a backtest: fitted without the last week, compared with it, beside the
    /// seasonal-naive forecast ("same slot last week"); the backtest needs three whole weeks.
    /// Fewer than two whole weeks (two seasons to start the trend from) is refused.
    public func forecastReport(weeks: Int, historyWeeks: Int = 8) throws -> ForecastReport {
        guard (1...52).contains(weeks) else { throw CaseError.invalid("--weeks must be from 1 to 52, not \(weeks)") }
        guard historyWeeks >= 2 else { throw CaseError.invalid("--history-weeks must be at least 2, not \(historyWeeks)") }
        let h = try forecastHistory(historyWeeks: historyWeeks)
        if let short = h.shortfall { throw CaseError.invalid(short) }
        let (cal, thisWeek, start, weeksOfHistory) = (h.calendar, h.thisWeek, h.start, h.weeks)
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT created_at, call_type FROM cases WHERE created_at >= ? AND created_at < ?",
                             arguments: [start.timeIntervalSince1970, thisWeek.timeIntervalSince1970])
                .map { ($0[0] as Double, $0[1] as String?) }
        }
        let m = Self.slotsPerWeek, n = weeksOfHistory * m
        var total = Array(repeating: 0.0, count: n)
        var byType: [String: [Double]] = [:]
        for (at, type) in rows {
            let date = Date(timeIntervalSince1970: at)
            let c = cal.dateComponents([.hour, .minute], from: date)
            let day = cal.dateComponents([.day], from: start, to: cal.startOfDay(for: date)).day ?? 0
            let slot = day * 48 + c.hour! * 2 + c.minute! / 30
            guard (0..<n).contains(slot) else { continue }
            total[slot] += 1
            byType[type ?? Self.noCallType, default: Array(repeating: 0.0, count: n)][slot] += 1
        }
        let steps = weeks * m
        func series(_ key: String, _ y: [Double]) -> ForecastSeries {
            let f = HoltWinters.fit(y, period: m).map { HoltWinters.forecast($0, steps: steps) }
                ?? HoltWinters.seasonalNaive(y, period: m, steps: steps)
            let days = (0..<(weeks * 7)).map { d -> ForecastDay in
                let slice = Array(f[(d * 48)..<((d + 1) * 48)])
                let peakIndex = slice.indices.max { slice[$0] < slice[$1] } ?? 0
                let date = cal.date(byAdding: .day, value: d, to: thisWeek)!
                return ForecastDay(date: ReportPeriod.text(date, cal), total: slice.reduce(0, +),
                                   peakSlot: String(format: "%02d:%02d", peakIndex / 2, (peakIndex % 2) * 30), peak: slice[peakIndex])
            }
            return ForecastSeries(callType: key, halfHours: f, days: days, historyArrivals: Int(y.reduce(0, +)))
        }
        // Backtest on the total: fit without the last week when at least two weeks remain.
        var backtest: ForecastBacktest?
        if weeksOfHistory >= 3 {
            let train = Array(total.prefix(n - m)), held = Array(total.suffix(m))
            if let fit = HoltWinters.fit(train, period: m) {
                let hw = HoltWinters.errors(forecast: HoltWinters.forecast(fit, steps: m), actual: held)
                let naive = HoltWinters.errors(forecast: HoltWinters.seasonalNaive(train, period: m, steps: m), actual: held)
                backtest = ForecastBacktest(heldBackWeeks: 1, mape: hw.mape, wape: hw.wape, seasonalNaiveMape: naive.mape, seasonalNaiveWape: naive.wape)
            }
        }
        return ForecastReport(method: "additive Holt-Winters, weekly season of 336 half-hours, with trend",
                              historyFrom: ReportPeriod.text(start, cal), historyWeeks: weeksOfHistory, weeks: weeks,
                              firstDay: ReportPeriod.text(thisWeek, cal), total: series("all", total),
                              byCallType: byType.keys.sorted().map { series($0, byType[$0]!) }, backtest: backtest)
    }
}
