import Foundation
import Testing
@testable import CaseCore

/// Staffing against a published worked example, and the suggested opening hours.
@Suite struct StaffingTests {
    /// Source: Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
    /// (callcentrehelper.com): 100 calls in 30 minutes, AHT 180 s, 80% answered within 20 s,
    /// maximum occupancy 85%, shrinkage 30%. Traffic A = 200 calls/h × 3 min ÷ 60 = 10 Erlangs.
    /// The article's steps: with 11 agents a call waits with probability 68.21%; 14 agents are
    /// the first to meet 80% in 20 s; occupancy 10/14 = 71% is under the 85% cap; with 30%
    /// shrinkage 14 ÷ 0.7 = 20 agents must be scheduled.
    @Test func callCentreHelperWorkedExample() {
        #expect(abs(ErlangC.probabilityOfWait(agents: 11, traffic: 10) - 0.6821) < 0.00005)
        // By hand from the same formula: 13 agents reach 79.56% (short), 14 agents 88.84%.
        #expect(ErlangC.serviceLevel(agents: 13, traffic: 10, ahtSeconds: 180, within: 20) < 0.8)
        #expect(abs(ErlangC.serviceLevel(agents: 14, traffic: 10, ahtSeconds: 180, within: 20) - 0.8884) < 0.00005)
        let sized = StaffingMath.size(traffic: 10, ahtSeconds: 180, target: 0.8, within: 20, occupancyCap: 0.85, shrinkage: 0.3)
        #expect(sized.agents == 14 && sized.scheduled == 20)
    }

    @Test func occupancyCapAddsAgentsWhenErlangAloneRunsThemHot() {
        // A large queue: 100 Erlangs, AHT 300 s, 80% in 60 s. Erlang C alone needs few spare
        // agents, so occupancy would be above 90%; a 85% cap needs ⌈100 ÷ 0.85⌉ = 118.
        let erlang = ErlangC.agentsNeeded(traffic: 100, ahtSeconds: 300, target: 0.8, within: 60)
        #expect(100.0 / Double(erlang) > 0.85)
        let sized = StaffingMath.size(traffic: 100, ahtSeconds: 300, target: 0.8, within: 60, occupancyCap: 0.85, shrinkage: 0)
        #expect(sized.agents == 118 && sized.scheduled == 118)
    }

    @Test func suggestedHoursHoldMostArrivals() {
        // 100 arrivals from 08:00 to 18:00 (10 an hour) and 1 at 03:00: 95% of 101 is 95.95, so
        // ten hours (100 arrivals, 99.0%) are needed and suffice; 03:00 is left out.
        var counts = Array(repeating: 0, count: 24)
        for h in 8..<18 { counts[h] = 10 }
        counts[3] = 1
        let s = StaffingMath.suggested(counts, share: 0.95)
        #expect(s?.open == 8 && s?.close == 18)
        #expect(abs((s?.share ?? 0) - 100.0 / 101.0) < 1e-12)
        #expect(StaffingMath.suggested(Array(repeating: 0, count: 24), share: 0.95) == nil)
    }
}

/// Staffing from the forecast instead of history.
@Suite struct StaffingFromForecastTests {
    @Test func forecastRatesReplaceHistory() throws {
        let w = try ReportTests.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        // A forecast of 3 arrivals in each of Monday's 10:00 and 10:30 half-hours (6 in the hour),
        // and 2 on Sunday at 03:00, when the centre is closed.
        var half = Array(repeating: 0.0, count: 336)
        half[20] = 3; half[21] = 3; half[6 * 48 + 6] = 2
        let series = ForecastSeries(callType: "all", halfHours: half, days: [], historyArrivals: 0)
        let f = ForecastReport(method: "test", historyFrom: "2025-06-30", historyWeeks: 2, weeks: 1, firstDay: "2025-07-14",
                               total: series, byCallType: [], backtest: nil)
        let r = try w.store.staffingReport(try ReportTests.theWeek(w.store), ahtSeconds: 180, forecast: f)
        #expect(r.arrivalSource == "forecast")
        #expect(r.rows.count == 1 && r.rows[0].day == "Mon" && r.rows[0].hour == 10 && r.rows[0].arrivalsPerHour == 6)
        // A = 6 per hour × 180 s = 0.3 Erlangs.
        #expect(abs(r.rows[0].offeredErlangs - 0.3) < 1e-12)
    }
}

/// Which arrivals `report staffing` sizes by default: the forecast when there is history for
/// one, else the period's history with the reason; `--from-history` asks for history.
@Suite struct StaffingSourceTests {
    @Test func theForecastIsTheDefaultWhenThereIsHistoryForOne() throws {
        // A case every weekday at 10:00 from Monday 23 June; now is Wednesday 16 July, so three
        // whole weeks (23 June – 13 July) of history.
        let (store, _) = try Fixtures.store(now: { ReportTests.at(16, 12, 0) })
        var cases: [NewCase] = []
        for d in 0..<21 where d % 7 < 5 {
            var n = Fixtures.newCase(); n.createdAt = ReportTests.at(7, 10, 0).addingTimeInterval(Double(d - 14) * 86400); cases.append(n)
        }
        try store.createCases(cases, by: nil)
        let p = try store.reportPeriod(from: "2025-06-23", to: "2025-07-13")
        let r = try store.staffingReport(p, ahtSeconds: 180, arrivals: .forecast)
        #expect(r.arrivalSource == "forecast" && r.arrivalNote == nil)
        // The forecast's Monday 10:00 hour, not the history's 1 a Monday: the same number the
        // forecast report gives for that hour.
        let f = try store.forecastReport(weeks: 1).total.halfHours
        let monday10 = try #require(r.rows.first { $0.weekday == 1 && $0.hour == 10 })
        #expect(abs(monday10.arrivalsPerHour - (f[20] + f[21])) < 1e-9)
        let history = try store.staffingReport(p, ahtSeconds: 180, arrivals: .history)
        #expect(history.arrivalSource == "history" && history.arrivalNote == nil)
        #expect(history.rows.first { $0.weekday == 1 && $0.hour == 10 }?.arrivalsPerHour == 1)   // 3 Mondays, 3 cases
    }

    @Test func tooLittleHistoryFallsBackToItWithTheReason() throws {
        // The fixture week of 7–13 July only: one whole week before Monday 14 July.
        let w = try ReportTests.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let r = try w.store.staffingReport(try ReportTests.theWeek(w.store), ahtSeconds: 180, arrivals: .forecast)
        #expect(r.arrivalSource == "history")
        #expect(r.arrivalNote == "a forecast needs at least two whole weeks of history (Monday to Sunday: two seasons to start its trend from); there is 1")
        #expect(r.rows == (try w.store.staffingReport(try ReportTests.theWeek(w.store), ahtSeconds: 180, arrivals: .history)).rows)
    }
}
