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
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
        switch format {
        case .json: print(try jsonString(r))
        case .csv:
            print("call_type,slot,day,time,arrivals")
            for s in [r.total] + r.byCallType {
                for (i, v) in s.halfHours.enumerated() {
                    print([s.callType, String(i), s.days[i / 48].date, String(format: "%02d:%02d", (i % 48) / 2, (i % 2) * 30),
                           String(format: "%.3f", v)].map { CaseExport.csvField($0) }.joined(separator: ","))
                }
            }
        case .table:
            print("Forecast · \(r.weeks) week(s) from \(r.firstDay) · \(r.method)")
            print("History: \(r.historyWeeks) whole week(s) from \(r.historyFrom)")
            if let b = r.backtest {
                print("Backtest (last week held back, all arrivals per half-hour): Holt-Winters MAPE \(pct(b.mape)), WAPE \(pct(b.wape)); "
                      + "seasonal-naive MAPE \(pct(b.seasonalNaiveMape)), WAPE \(pct(b.seasonalNaiveWape))")
            } else {
                print("Backtest: needs three whole weeks of history.")
            }
            print("")
            print(table(["DAY", "ALL", "PEAK HALF-HOUR"], r.total.days.map { [$0.date, String(format: "%.1f", $0.total), "\($0.peakSlot) (\(String(format: "%.1f", $0.peak)))"] }))
            print("")
            print(table(["CALL TYPE", "HISTORY", "FORECAST"] , r.byCallType.map { s in
                [s.callType, String(s.historyArrivals), String(format: "%.1f", s.halfHours.reduce(0, +))] }))
            print("\nPer half-hour: --format csv.")
        }
    }
}
