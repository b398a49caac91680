import ArgumentParser
import CaseCore
import Foundation

extension Report {
    struct Staffing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staffing", abstract: "Agents needed per weekday-hour by Erlang C, from this week's arrivals forecast and the period's AHT.",
            discussion: """
                Arrival rate: this week's forecast (report forecast) for that weekday-hour. With --from-history, or when there \
                is less than two whole weeks of history for a forecast (the report says so), the period's cases in that \
                weekday-hour over the number of such weekdays in the period.
                """)
        @Option(help: "Service-level target: the share answered within --within-seconds, above 0 and below 1.",
                transform: number("a share above 0 and below 1 (e.g. 0.8)") { $0 > 0 && $0 < 1 }) var target: Double = 0.8
        @Option(name: .customLong("within-seconds"), help: "The service-level threshold in seconds, 0 to 86400.",
                transform: number("seconds from 0 to 86400") { (0...86400).contains($0) }) var withinSeconds: Double = 20
        @Option(name: .customLong("aht-seconds"), help: "Use this AHT (1 to 86400 seconds) instead of the period's measured AHT.",
                transform: number("seconds from 1 to 86400") { (1...86400).contains($0) }) var ahtSeconds: Double?
        @Option(help: "Only this weekday.") var weekday: Weekday?
        @Option(help: "Share of paid time not on contacts, 0 to under 1 (default: the pack's shrinkage, 0.3 unless set).",
                transform: number("a share from 0 to under 1 (e.g. 0.3)") { $0 >= 0 && $0 < 1 }) var shrinkage: Double?
        @Option(name: .customLong("occupancy-cap"), help: "Highest occupancy to plan for, above 0 up to 1 (default: the pack's, 0.85 unless set).",
                transform: number("a share above 0 and at most 1 (e.g. 0.85)") { $0 > 0 && $0 <= 1 }) var occupancyCap: Double?
        @Flag(name: .customLong("from-history"), help: "Size from the period's arrivals instead of this week's forecast.") var fromHistory = false
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions

        func run() throws {
            let (s, p, f) = try period.open(store)
            var r = try s.staffingReport(p, target: target, withinSeconds: withinSeconds, ahtSeconds: ahtSeconds, shrinkage: shrinkage,
                                         occupancyCap: occupancyCap, arrivals: fromHistory ? .history : .forecast)
            if let weekday { r.rows.removeAll { $0.weekday != weekday.number } }
            let t = ReportTable(r.rows, [
                ReportColumn("DAY", "weekday", table: { $0.day }, csv: { $0.day.lowercased() }),
                ReportColumn("HOUR", "hour", table: { String(format: "%02d:00", $0.hour) }, csv: { String($0.hour) }),
                .csv("arrivals") { String($0.arrivals) },
                ReportColumn("PER HOUR", "arrivals_per_hour", table: { String(format: "%.2f", $0.arrivalsPerHour) }, csv: { num($0.arrivalsPerHour) }),
                ReportColumn("ERLANGS", "offered_erlangs", table: { String(format: "%.2f", $0.offeredErlangs) }, csv: { num($0.offeredErlangs) }),
                ReportColumn("AGENTS", "agents") { String($0.agents) },
                .table("SCHEDULED") { String($0.scheduled) },
                ReportColumn("P(WAIT)", "probability_of_wait", table: { percent($0.probabilityOfWait) }, csv: { num($0.probabilityOfWait) }),
                ReportColumn("SERVICE LEVEL", "service_level", table: { percent($0.serviceLevel) }, csv: { num($0.serviceLevel) }),
                ReportColumn("OCCUPANCY", "occupancy", table: { percent($0.occupancy) }, csv: { num($0.occupancy) }),
                ReportColumn("ASA", "average_speed_of_answer_seconds", table: { String(format: "%.1fs", $0.averageSpeedOfAnswerSeconds) },
                             csv: { num($0.averageSpeedOfAnswerSeconds) }),
                .csv("scheduled") { String($0.scheduled) },
            ])
            try f.emit(r, csv: [t]) {
                print(heading("Staffing by Erlang C: \(Int((target * 100).rounded()))% within \(num(withinSeconds))s, AHT \(duration(r.ahtSeconds)) (\(r.ahtSource))", p))
                if r.ahtSeconds == nil { print("No resolved case with recorded work in the period: give --aht-seconds to size the hours.") }
                if let why = r.arrivalNote {
                    print("Arrival rates from the period's history, not a forecast: \(why).")
                } else if r.arrivalSource == "forecast" {
                    print("Arrival rates from the arrivals forecast (report forecast: the week from this Monday); --from-history uses the period's arrivals.")
                } else {
                    print("Arrival rates from the period's history (--from-history).")
                }
                print("Open hours only; occupancy at most \(percent(r.occupancyCap)); scheduled = agents ÷ (1 − \(percent(r.shrinkage)) shrinkage).")
                print(t.text)
                if r.closedHourArrivals > 0 { print("\(r.closedHourArrivals) case(s) arrived while the centre was closed: not staffed.") }
                if !r.suggestedHours.isEmpty {
                    print("\nHours the arrivals suggest (the shortest span holding \(percent(StaffingReport.suggestedShare)) of each day's arrivals):")
                    print(ReportTable(r.suggestedHours, [
                        .table("DAY") { $0.day }, .table("OPEN") { String(format: "%02d:00", $0.openHour) },
                        .table("CLOSE") { String(format: "%02d:00", $0.closeHour) }, .table("SHARE") { percent($0.share) },
                    ]).text)
                }
            }
        }
    }
}
