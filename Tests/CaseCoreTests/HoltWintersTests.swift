import Foundation
import Testing
@testable import CaseCore

/// The forecast on a synthetic series with known weekly × daily seasonality and a trend:
/// the backtest must beat "same slot last week".
@Suite struct HoltWintersTests {
    /// Half-hour arrivals for `weeks` weeks: 20 + a daily wave (peak mid-day) + weekdays busier
    /// than weekends + a trend of 0.01 per half-hour (3.36 a week), plus small deterministic noise.
    static func series(weeks: Int) -> [Double] {
        var rng = SplitMix64(seed: 7)
        return (0..<(weeks * 336)).map { t in
            let slot = t % 48, day = (t / 48) % 7
            let daily = 8 * sin(Double.pi * Double(slot) / 48)
            let weekday = day < 5 ? 4.0 : -4.0
            return 20 + daily + weekday + 0.01 * Double(t) + rng.uniform(-1, 1)
        }
    }

    @Test func beatsSeasonalNaiveOnATrendingSeasonalSeries() throws {
        let y = Self.series(weeks: 6)
        let train = Array(y.prefix(5 * 336)), held = Array(y.suffix(336))
        let fit = try #require(HoltWinters.fit(train, period: 336))
        let hw = HoltWinters.errors(forecast: HoltWinters.forecast(fit, steps: 336), actual: held)
        let naive = HoltWinters.errors(forecast: HoltWinters.seasonalNaive(train, period: 336, steps: 336), actual: held)
        // Same slot last week misses the week's trend (3.36) plus twice the noise; Holt-Winters
        // carries the trend forward and smooths the noise.
        #expect(hw.wape! < naive.wape!)
        #expect(hw.mape! < naive.mape!)
        #expect(hw.wape! < 0.05)
        #expect(fit.trend > 0.005 && fit.trend < 0.02, "the trend it found: \(fit.trend) per half-hour (true 0.01)")
    }

    @Test func errorsByHand() {
        // Forecast 2, 4, 0 against 1, 4, 2: |1| + |0| + |2| = 3 over 7 arrivals → WAPE 3/7;
        // MAPE over the three non-zero actuals: (1/1 + 0/4 + 2/2) / 3 = 2/3.
        let e = HoltWinters.errors(forecast: [2, 4, 0], actual: [1, 4, 2])
        #expect(abs(e.wape! - 3.0 / 7.0) < 1e-12 && abs(e.mape! - 2.0 / 3.0) < 1e-12)
        #expect(HoltWinters.errors(forecast: [1], actual: [0]).wape == nil)
        #expect(HoltWinters.fit(Array(repeating: 1, count: 336), period: 336) == nil, "less than two cycles")
    }
}

/// The forecast report on a database: too little history is one line; with enough, the
/// backtest is printed beside seasonal-naive.
@Suite struct ForecastReportTests {
    @Test func tooLittleHistoryIsRefused() throws {
        // Wednesday 16 July 2025; cases only since Monday 7 July: one whole week (7–13 July).
        let (store, _) = try Fixtures.store(now: { ReportTests.at(16, 12, 0) })
        var new = Fixtures.newCase(); new.createdAt = ReportTests.at(7, 10, 0)
        try store.createCase(new, by: nil)
        #expect(throws: CaseError.invalid("a forecast needs at least two whole weeks of history (Monday to Sunday: two seasons to start its trend from); there is 1")) {
            try store.forecastReport(weeks: 1)
        }
        let (empty, _) = try Fixtures.store(now: { ReportTests.at(16, 12, 0) })
        #expect(throws: CaseError.self) { try empty.forecastReport(weeks: 1) }
        #expect(throws: CaseError.self) { try store.forecastReport(weeks: 0) }
    }

    @Test func threeWeeksGiveAForecastAndABacktest() throws {
        // Monday 30 June to Sunday 13 July... and one more week: 23 June onwards, a case every
        // weekday at 10:00 and 14:00. Now is Wednesday 16 July, so three whole weeks.
        let (store, _) = try Fixtures.store(now: { ReportTests.at(16, 12, 0) })
        var cases: [NewCase] = []
        for dayOffset in 0..<21 {
            let day = Calendar(identifier: .gregorian).date(byAdding: .day, value: dayOffset, to: ReportTests.at(7, 0, 0).addingTimeInterval(-14 * 86400))!
            guard (Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: day).weekday ?? 1) % 7 > 1 else { continue }
            for hour in [10.0, 14.0] { var n = Fixtures.newCase(); n.createdAt = day.addingTimeInterval(hour * 3600); cases.append(n) }
        }
        try store.createCases(cases, by: nil)
        let r = try store.forecastReport(weeks: 1)
        #expect(r.historyWeeks == 3 && r.firstDay == "2025-07-14")
        // Every weekday of the history has the same two arrivals, so each weekday forecast is about 2.
        #expect(r.total.days.prefix(5).allSatisfy { abs($0.total - 2) < 0.5 })
        #expect(r.total.days.suffix(2).allSatisfy { $0.total < 0.5 })
        let b = try #require(r.backtest)
        #expect(b.wape != nil && b.seasonalNaiveWape == 0, "the pattern repeats exactly: same slot last week is perfect")
    }
}
