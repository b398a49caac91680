import ArgumentParser
import CaseCore
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Contact-centre metrics: AHT, FCR, SLA, CSAT, volume, arrivals, flags, staffing, forecast.",
                                                    discussion: "Days are whole days in the business-hours time zone; --from and --to are both included. Default: the last 28 days up to today.",
                                                    subcommands: [AHT.self, FCR.self, SLA.self, CSAT.self, Volume.self, Arrivals.self, Flags.self, Staffing.self,
                                                                  ForecastCommand.self])

    /// `--from`, `--to` and `--format`, checked by ArgumentParser before `run()`.
    struct PeriodOptions: ParsableArguments {
        @Option(help: ArgumentHelp("First day (default: 27 days before --to).", valueName: "yyyy-mm-dd")) var from: Day?
        @Option(help: ArgumentHelp("Last day, included (default: today).", valueName: "yyyy-mm-dd")) var to: Day?
        @Option(help: "How to print the report.") var format: OutputFormat = .table

        /// Opens the store and works out the period.
        func open(_ store: StoreOptions) throws -> (CaseStore, ReportPeriod, OutputFormat) {
            let s = try store.open(asking: .listCases)
            return (s, try s.reportPeriod(from: from?.text, to: to?.text), format)
        }
    }

    /// A row of a report that groups: overall, per call type, per agent.
    typealias Grouped<T> = (group: String, row: T)

    struct AHT: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "aht", abstract: "Average handle time of resolved cases, from work intervals.")
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let (s, p, f) = try period.open(store)
            let r = try s.ahtReport(p)
            let rows: [Grouped<HandleStats>] = [("all", r.overall)] + r.byCallType.map { ("call_type", $0) } + r.byAgent.map { ("agent", $0) }
            let t = ReportTable(rows, [
                ReportColumn("GROUP", "group") { $0.group }, ReportColumn("KEY", "key") { $0.row.key },
                ReportColumn("CASES", "cases") { String($0.row.cases) },
                ReportColumn("AHT", "average_seconds", table: { duration($0.row.averageSeconds) }, csv: { num($0.row.averageSeconds) }),
                ReportColumn("P50", "p50_seconds", table: { duration($0.row.p50Seconds) }, csv: { num($0.row.p50Seconds) }),
                ReportColumn("P90", "p90_seconds", table: { duration($0.row.p90Seconds) }, csv: { num($0.row.p90Seconds) }),
                .csv("total_seconds") { num($0.row.totalSeconds) },
            ])
            try f.emit(r, csv: [t]) {
                print(heading("Average handle time", p))
                print(t.text)
                if r.resolvedWithoutWork > 0 { print("\(r.resolvedWithoutWork) resolved case(s) had no recorded work and are not counted.") }
            }
        }
    }

    struct FCR: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fcr", abstract: "First-contact resolution: no repeat case, no customer contact after resolution and no reopen within the window.")
        @Option(name: .customLong("window-days"), help: "Days after the first resolution that count, 1 to 365 (default: the pack's repeat_window_days, 7 unless set).",
                transform: number("days from 1 to 365") { (1...365).contains($0) }) var windowDays: Int?
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let (s, p, f) = try period.open(store)
            let r = try s.fcrReport(p, windowDays: windowDays)
            let t = ReportTable([r.overall] + r.byCallType, [
                ReportColumn("CALL TYPE", "call_type") { $0.callType }, ReportColumn("RESOLVED", "resolved") { String($0.resolved) },
                ReportColumn("FIRST CONTACT", "first_contact") { String($0.firstContact) }, ReportColumn("REPEATED", "repeated") { String($0.repeated) },
                ReportColumn("FCR", "rate", table: { percent($0.rate) }, csv: { num($0.rate) }),
                ReportColumn("REPEAT CASE", "repeat_cases") { String($0.repeatCases) },
                ReportColumn("CONTACT AFTER", "contact_after_resolution") { String($0.contactAfterResolution) },
                ReportColumn("REOPENED", "reopened") { String($0.reopened) },
            ])
            try f.emit(r, csv: [t]) {
                print(heading("First-contact resolution (window \(r.windowDays) days)", p))
                print(t.text)
                if r.windowStillOpen > 0 { print("\(r.windowStillOpen) case(s) counted as first contact are still inside their window.") }
            }
        }
    }

    struct SLA: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sla", abstract: "First-response and resolution SLA attainment per call type, in business hours.")
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let (s, p, f) = try period.open(store)
            let r = try s.slaReport(p)
            let t = ReportTable([r.overall] + r.byCallType, [
                ReportColumn("CALL TYPE", "call_type") { $0.callType },
                .csv("first_response_target_minutes") { $0.firstResponseTargetMinutes.map(String.init) ?? "" },
                .csv("resolution_target_minutes") { $0.resolutionTargetMinutes.map(String.init) ?? "" },
                ReportColumn("CASES", "cases") { String($0.cases) },
                .table("1ST RESP TARGET") { $0.firstResponseTargetMinutes.map(PackDuration.format) ?? "-" },
                ReportColumn("MET", "first_response_met") { String($0.firstResponseMet) },
                ReportColumn("BREACHED", "first_response_breached") { String($0.firstResponseBreached) },
                ReportColumn("PENDING", "first_response_pending") { String($0.firstResponsePending) },
                ReportColumn("ATTAINED", "first_response_attainment", table: { percent($0.firstResponseAttainment) }, csv: { num($0.firstResponseAttainment) }),
                .table("RESOLVE TARGET") { $0.resolutionTargetMinutes.map(PackDuration.format) ?? "-" },
                ReportColumn("MET", "resolution_met") { String($0.resolutionMet) },
                ReportColumn("BREACHED", "resolution_breached") { String($0.resolutionBreached) },
                ReportColumn("PENDING", "resolution_pending") { String($0.resolutionPending) },
                ReportColumn("ATTAINED", "resolution_attainment", table: { percent($0.resolutionAttainment) }, csv: { num($0.resolutionAttainment) }),
            ])
            try f.emit(r, csv: [t]) {
                print(heading("SLA attainment (business hours)", p))
                print(t.text)
                if r.withoutCallType > 0 { print("\(r.withoutCallType) case(s) without a call type have no target and are not counted.") }
            }
        }
    }

    struct CSAT: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "csat", abstract: "Customer satisfaction: average, 1–5 distribution, response rate, per call type and agent, weekly trend overall and per call type.")
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let (s, p, f) = try period.open(store)
            let r = try s.csatReport(p)
            func avg(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "-" }
            let rows: [Grouped<CSATRow>] = [("all", r.overall)] + r.byCallType.map { ("call_type", $0) } + r.byAgent.map { ("agent", $0) }
            let groups = ReportTable(rows, [
                ReportColumn("GROUP", "group") { $0.group }, ReportColumn("KEY", "key") { $0.row.key }, .csv("week") { _ in "" },
                ReportColumn("RESOLVED", "resolved") { String($0.row.resolved) }, ReportColumn("RESPONSES", "responses") { String($0.row.responses) },
                ReportColumn("RATE", "response_rate", table: { percent($0.row.responseRate) }, csv: { num($0.row.responseRate) }),
                ReportColumn("AVERAGE", "average", table: { avg($0.row.average) }, csv: { num($0.row.average) }),
            ] + (0..<5).map { i in ReportColumn("\(i + 1)", "score_\(i + 1)") { String($0.row.distribution[i]) } })
            // The weekly trend: in the CSV, rows of group "week" under the same columns.
            let weeks: [Grouped<CSATWeek>] = r.weekly.map { ("all", $0) } + r.weeklyByCallType.flatMap { t in t.weeks.map { (t.callType, $0) } }
            let trend = ReportTable(weeks, [
                .csv("group") { _ in "week" }, ReportColumn("CALL TYPE", "key") { $0.group }, ReportColumn("WEEK OF", "week") { $0.row.weekStarting },
                ReportColumn("RESOLVED", "resolved") { String($0.row.resolved) }, ReportColumn("RESPONSES", "responses") { String($0.row.responses) },
                ReportColumn("RATE", "response_rate", table: { percent($0.row.responseRate) }, csv: { num($0.row.responseRate) }),
                ReportColumn("AVERAGE", "average", table: { avg($0.row.average) }, csv: { num($0.row.average) }),
            ] + (1...5).map { i in .csv("score_\(i)") { _ in "" } }
              + [.table("") { String(repeating: "█", count: Int((($0.row.average ?? 0) * 4).rounded())) }])
            try f.emit(r, csv: [groups, trend]) {
                print(heading("CSAT", p))
                print(groups.text)
                print("")
                print(trend.text)
            }
        }
    }

    struct Volume: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "volume", abstract: "Cases by call type and channel, with the share that tried self-service first.")
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let (s, p, f) = try period.open(store)
            let r = try s.volumeReport(p)
            let all = VolumeRow(key: "all", cases: r.total, share: r.total > 0 ? 1 : nil, selfServiceAttempted: r.selfServiceAttempted,
                                selfServiceShare: r.selfServiceShare)
            let rows: [Grouped<VolumeRow>] = [("all", all)] + r.byCallType.map { ("call_type", $0) } + r.byChannel.map { ("channel", $0) }
            let t = ReportTable(rows, [
                ReportColumn("GROUP", "group") { $0.group }, ReportColumn("KEY", "key") { $0.row.key }, ReportColumn("CASES", "cases") { String($0.row.cases) },
                ReportColumn("SHARE", "share", table: { percent($0.row.share) }, csv: { num($0.row.share) }),
                ReportColumn("TRIED SELF-SERVICE", "self_service_attempted") { String($0.row.selfServiceAttempted) },
                ReportColumn("SELF-SERVICE SHARE", "self_service_share", table: { percent($0.row.selfServiceShare) }, csv: { num($0.row.selfServiceShare) }),
            ])
            try f.emit(r, csv: [t]) {
                print(heading("Volume", p))
                print(t.text)
            }
        }
    }

    struct Arrivals: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "arrivals", abstract: "Cases created by hour of day × weekday (business-hours time zone).")
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let (s, p, f) = try period.open(store)
            let r = try s.arrivalsReport(p)
            let peak = max(1, r.counts.flatMap { $0 }.max() ?? 1)
            let shades = [" ", "░", "▒", "▓", "█"]
            func cell(_ n: Int) -> String { n == 0 ? "." : "\(n)" + shades[min(4, 1 + (n * 4 - 1) / peak)] }
            let t = ReportTable(Array(0..<24), [
                ReportColumn("HOUR", "hour", table: { String(format: "%02d:00", $0) }, csv: { String(format: "%02d", $0) })]
                + weekdayNames.enumerated().map { d, name in
                    ReportColumn(name, name.lowercased(), table: { cell(r.counts[d][$0]) }, csv: { String(r.counts[d][$0]) }) }
                + [ReportColumn("TOTAL", "total") { String(r.byHour[$0]) }],
                footer: [["total"] + r.byWeekday.map(String.init) + [String(r.total)]])
            try f.emit(r, csv: [t]) {
                print(heading("Arrivals by hour and weekday (\(p.timeZone))", p))
                print(t.text)
            }
        }
    }

    struct Flags: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "flags", abstract: "Kill the stupid rule: flagged rules grouped, most flagged first.")
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let (s, p, f) = try period.open(store)
            let r = try s.flagsReport(p)
            let iso = ISO8601DateFormatter()
            let zone = TimeZone(identifier: p.timeZone) ?? .current
            let t = ReportTable(r.groups, [
                .csv("rule") { $0.rule }, ReportColumn("COUNT", "count") { String($0.count) }, ReportColumn("OPEN", "open") { String($0.open) },
                .csv("answered") { String($0.answered) }, .csv("cases") { String($0.cases) }, ReportColumn("AGENTS", "agents") { String($0.agents) },
                ReportColumn("FIRST SEEN", "first_seen", table: { DateText.format($0.firstSeen, "yyyy-MM-dd", zone) }, csv: { iso.string(from: $0.firstSeen) }),
                ReportColumn("LAST SEEN", "last_seen", table: { DateText.format($0.lastSeen, "yyyy-MM-dd", zone) }, csv: { iso.string(from: $0.lastSeen) }),
                ReportColumn("CALL TYPES", "call_types", table: { $0.callTypes.joined(separator: ",") }, csv: { $0.callTypes.joined(separator: " ") }),
                .table("RULE") { $0.rule },
            ])
            try f.emit(r, csv: [t]) {
                print(heading("Rule flags", p))
                print(t.text)
            }
        }
    }
}
