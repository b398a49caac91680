import ArgumentParser
import CaseCore
import Foundation

/// `casedesk report forecast`: arrivals per call type per half-hour, with its own backtest.
struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast arrivals per call type per half-hour (Holt-Winters, weekly season, trend) with a backtest against seasonal-naive.")
    @Option(help: "Weeks to forecast, from this week's Monday (1 to 52).") var weeks: Int = 1
    @Option(name: .customLong("history-weeks"), help: "Whole weeks of history to learn from (at least 2).") var historyWeeks: Int = 8
    @Option(help: "table, csv (per half-hour) or json.") var format: OutputFormat = .table
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (1...52).contains(weeks) else { throw ValidationError("--weeks must be from 1 to 52, not \(weeks)") }
        guard historyWeeks >= 2 else { throw ValidationError("--history-weeks must be at least 2, not \(historyWeeks)") }
    }

    func run() throws {
        let r = try store.open(asking: .listCases).forecastReport(weeks: weeks, historyWeeks: historyWeeks)
        // Per half-hour of every series: for a program only.
        let slots = ([r.total] + r.byCallType).flatMap { s in s.halfHours.indices.map { (series: s, slot: $0) } }
        let perHalfHour = ReportTable(slots, [
            .csv("call_type") { $0.series.callType }, .csv("slot") { String($0.slot) }, .csv("day") { $0.series.days[$0.slot / 48].date },
            .csv("time") { String(format: "%02d:%02d", ($0.slot % 48) / 2, ($0.slot % 2) * 30) },
            .csv("arrivals") { String(format: "%.3f", $0.series.halfHours[$0.slot]) },
        ])
        try format.emit(r, csv: [perHalfHour]) {
            print("Forecast · \(r.weeks) week(s) from \(r.firstDay) · \(r.method)")
            print("History: \(r.historyWeeks) whole week(s) from \(r.historyFrom)")
            if let b = r.backtest {
                print("Backtest (last week held back, all arrivals per half-hour): Holt-Winters MAPE \(percent(b.mape)), WAPE \(percent(b.wape)); "
                      + "seasonal-naive MAPE \(percent(b.seasonalNaiveMape)), WAPE \(percent(b.seasonalNaiveWape))")
            } else {
                print("Backtest: needs three whole weeks of history.")
            }
            print("")
            print(ReportTable(r.total.days, [
                .table("DAY") { $0.date }, .table("ALL") { String(format: "%.1f", $0.total) },
                .table("PEAK HALF-HOUR") { "\($0.peakSlot) (\(String(format: "%.1f", $0.peak)))" },
            ]).text)
            print("")
            print(ReportTable(r.byCallType, [
                .table("CALL TYPE") { $0.callType }, .table("HISTORY") { String($0.historyArrivals) },
                .table("FORECAST") { String(format: "%.1f", $0.halfHours.reduce(0, +)) },
            ]).text)
            print("\nPer half-hour: --format csv.")
        }
    }
}
