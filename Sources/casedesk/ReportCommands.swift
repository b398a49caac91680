import ArgumentParser
import CaseCore
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Contact-centre metrics: AHT, FCR, SLA, CSAT, volume, arrivals, flags, staffing.",
                                                    discussion: "Days are whole days in the business-hours time zone; --from and --to are both included. Default: the last 28 days up to today.",
                                                    subcommands: [AHT.self, FCR.self, SLA.self, CSAT.self, Volume.self, Arrivals.self, Flags.self, Staffing.self,
                                                                  ForecastCommand.self])

    /// `--from`, `--to` and `--format`, read as text and checked in `run()` so that any mistake
    /// is one line on stderr and exit status 1.
    struct PeriodOptions: ParsableArguments {
        @Option(help: "First day, YYYY-MM-DD (default: 27 days before --to).") var from: String?
        @Option(help: "Last day, YYYY-MM-DD, included (default: today).") var to: String?
        @Option(help: "table, csv or json.") var format: String = "table"

        func outputFormat() throws -> OutputFormat {
            guard let f = OutputFormat(rawValue: format.lowercased()) else {
                throw Failure("--format must be table, csv or json, not '\(format)'")
            }
            return f
        }

        /// Checks the options, opens the store and works out the period.
        func open(_ store: StoreOptions) throws -> (CaseStore, ReportPeriod, OutputFormat) {
            let f = try outputFormat()
            let s = try store.open(asking: .listCases)
            return (s, try s.reportPeriod(from: from, to: to), f)
        }
    }

    static func number<T: LosslessStringConvertible>(_ text: String, _ option: String) throws -> T {
        guard let v = T(text.trimmingCharacters(in: .whitespaces)) else { throw Failure("\(option) must be a number, not '\(text)'") }
        return v
    }

    struct AHT: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "aht", abstract: "Average handle time of resolved cases, from work intervals.")
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let (s, p, f) = try period.open(store)
            let r = try s.ahtReport(p)
            let rows = [("all", r.overall)] + r.byCallType.map { ("call_type", $0) } + r.byAgent.map { ("agent", $0) }
            switch f {
            case .json: print(try jsonString(r))
            case .csv:
                print("group,key,cases,average_seconds,p50_seconds,p90_seconds,total_seconds")
                for (g, h) in rows {
                    printData(csv([g, h.key, String(h.cases), num(h.averageSeconds), num(h.p50Seconds), num(h.p90Seconds), num(h.totalSeconds)]))
                }
            case .table:
                print(heading("Average handle time", p))
                print(table(["GROUP", "KEY", "CASES", "AHT", "P50", "P90"],
                            rows.map { g, h in [g, h.key, String(h.cases), duration(h.averageSeconds), duration(h.p50Seconds), duration(h.p90Seconds)] }))
                if r.resolvedWithoutWork > 0 { print("\(r.resolvedWithoutWork) resolved case(s) had no recorded work and are not counted.") }
            }
        }
    }

    struct FCR: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fcr", abstract: "First-contact resolution: no repeat case, no customer contact after resolution and no reopen within the window.")
        @Option(name: .customLong("window-days"), help: "Days after the first resolution that count (default: the pack's repeat_window_days, 7 unless set).") var windowDays: String?
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let days: Int? = try windowDays.map { try number($0, "--window-days") }
            if let days, days <= 0 { throw Failure("--window-days must be at least 1, not \(days)") }
            let (s, p, f) = try period.open(store)
            let r = try s.fcrReport(p, windowDays: days)
            let rows = [r.overall] + r.byCallType
            switch f {
            case .json: print(try jsonString(r))
            case .csv:
                print("call_type,resolved,first_contact,repeated,rate,repeat_cases,contact_after_resolution,reopened")
                for x in rows {
                    printData(csv([x.callType, String(x.resolved), String(x.firstContact), String(x.repeated), num(x.rate),
                               String(x.repeatCases), String(x.contactAfterResolution), String(x.reopened)]))
                }
            case .table:
                print(heading("First-contact resolution (window \(r.windowDays) days)", p))
                print(table(["CALL TYPE", "RESOLVED", "FIRST CONTACT", "REPEATED", "FCR", "REPEAT CASE", "CONTACT AFTER", "REOPENED"],
                            rows.map { [$0.callType, String($0.resolved), String($0.firstContact), String($0.repeated), percent($0.rate),
                                        String($0.repeatCases), String($0.contactAfterResolution), String($0.reopened)] }))
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
            let rows = [r.overall] + r.byCallType
            switch f {
            case .json: print(try jsonString(r))
            case .csv:
                print("call_type,first_response_target_minutes,resolution_target_minutes,cases,first_response_met,first_response_breached,first_response_pending,first_response_attainment,resolution_met,resolution_breached,resolution_pending,resolution_attainment")
                for x in rows {
                    printData(csv([x.callType, x.firstResponseTargetMinutes.map(String.init) ?? "", x.resolutionTargetMinutes.map(String.init) ?? "",
                               String(x.cases), String(x.firstResponseMet), String(x.firstResponseBreached), String(x.firstResponsePending),
                               num(x.firstResponseAttainment), String(x.resolutionMet), String(x.resolutionBreached), String(x.resolutionPending),
                               num(x.resolutionAttainment)]))
                }
            case .table:
                print(heading("SLA attainment (business hours)", p))
                print(table(["CALL TYPE", "CASES", "1ST RESP TARGET", "MET", "BREACHED", "PENDING", "ATTAINED", "RESOLVE TARGET", "MET", "BREACHED", "PENDING", "ATTAINED"],
                            rows.map { [$0.callType, String($0.cases), $0.firstResponseTargetMinutes.map(PackDuration.format) ?? "-",
                                        String($0.firstResponseMet), String($0.firstResponseBreached), String($0.firstResponsePending), percent($0.firstResponseAttainment),
                                        $0.resolutionTargetMinutes.map(PackDuration.format) ?? "-",
                                        String($0.resolutionMet), String($0.resolutionBreached), String($0.resolutionPending), percent($0.resolutionAttainment)] }))
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
            let rows = [("all", r.overall)] + r.byCallType.map { ("call_type", $0) } + r.byAgent.map { ("agent", $0) }
            let weeks = r.weekly.map { ("all", $0) } + r.weeklyByCallType.flatMap { t in t.weeks.map { (t.callType, $0) } }
            func avg(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "-" }
            switch f {
            case .json: print(try jsonString(r))
            case .csv:
                print("group,key,week,resolved,responses,response_rate,average,score_1,score_2,score_3,score_4,score_5")
                for (g, x) in rows {
                    printData(csv([g, x.key, "", String(x.resolved), String(x.responses), num(x.responseRate), num(x.average)] + x.distribution.map(String.init)))
                }
                for (k, w) in weeks {
                    printData(csv(["week", k, w.weekStarting, String(w.resolved), String(w.responses), num(w.responseRate), num(w.average), "", "", "", "", ""]))
                }
            case .table:
                print(heading("CSAT", p))
                print(table(["GROUP", "KEY", "RESOLVED", "RESPONSES", "RATE", "AVERAGE", "1", "2", "3", "4", "5"],
                            rows.map { g, x in [g, x.key, String(x.resolved), String(x.responses), percent(x.responseRate), avg(x.average)]
                                + x.distribution.map(String.init) }))
                print("")
                print(table(["CALL TYPE", "WEEK OF", "RESOLVED", "RESPONSES", "RATE", "AVERAGE", ""],
                            weeks.map { k, w in [k, w.weekStarting, String(w.resolved), String(w.responses), percent(w.responseRate), avg(w.average),
                                                 String(repeating: "█", count: Int(((w.average ?? 0) * 4).rounded()))] }))
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
            var rows: [(String, VolumeRow)] = [("all", all)]
            rows += r.byCallType.map { ("call_type", $0) }
            rows += r.byChannel.map { ("channel", $0) }
            switch f {
            case .json: print(try jsonString(r))
            case .csv:
                print("group,key,cases,share,self_service_attempted,self_service_share")
                for (g, x) in rows { printData(csv([g, x.key, String(x.cases), num(x.share), String(x.selfServiceAttempted), num(x.selfServiceShare)])) }
            case .table:
                print(heading("Volume", p))
                let cells: [[String]] = rows.map { (g: String, x: VolumeRow) -> [String] in
                    [g, x.key, String(x.cases), percent(x.share), String(x.selfServiceAttempted), percent(x.selfServiceShare)]
                }
                print(table(["GROUP", "KEY", "CASES", "SHARE", "TRIED SELF-SERVICE", "SELF-SERVICE SHARE"], cells))
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
            switch f {
            case .json: print(try jsonString(r))
            case .csv:
                print("hour," + weekdayNames.map { $0.lowercased() }.joined(separator: ",") + ",total")
                for h in 0..<24 { printData(([String(format: "%02d", h)] + (0..<7).map { String(r.counts[$0][h]) } + [String(r.byHour[h])]).joined(separator: ",")) }
            case .table:
                print(heading("Arrivals by hour and weekday (\(p.timeZone))", p))
                let peak = max(1, r.counts.flatMap { $0 }.max() ?? 1)
                let shades = [" ", "░", "▒", "▓", "█"]
                func cell(_ n: Int) -> String {
                    n == 0 ? "." : "\(n)" + shades[min(4, 1 + (n * 4 - 1) / peak)]
                }
                var rows = (0..<24).map { h in [String(format: "%02d:00", h)] + (0..<7).map { cell(r.counts[$0][h]) } + [String(r.byHour[h])] }
                rows.append(["total"] + r.byWeekday.map(String.init) + [String(r.total)])
                print(table(["HOUR"] + weekdayNames + ["TOTAL"], rows))
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
            switch f {
            case .json: print(try jsonString(r))
            case .csv:
                print("rule,count,open,answered,cases,agents,first_seen,last_seen,call_types")
                for g in r.groups {
                    printData(csv([g.rule, String(g.count), String(g.open), String(g.answered), String(g.cases), String(g.agents),
                               iso.string(from: g.firstSeen), iso.string(from: g.lastSeen), g.callTypes.joined(separator: " ")]))
                }
            case .table:
                print(heading("Rule flags", p))
                let zone = TimeZone(identifier: p.timeZone) ?? .current
                print(table(["COUNT", "OPEN", "AGENTS", "FIRST SEEN", "LAST SEEN", "CALL TYPES", "RULE"],
                            r.groups.map { [String($0.count), String($0.open), String($0.agents),
                                            DateText.format($0.firstSeen, "yyyy-MM-dd", zone), DateText.format($0.lastSeen, "yyyy-MM-dd", zone),
                                            $0.callTypes.joined(separator: ","), $0.rule] }))
            }
        }
    }

    struct Staffing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staffing", abstract: "Agents needed per weekday-hour by Erlang C, from the period's arrivals and AHT.",
            discussion: "Arrival rate: the period's cases in that weekday-hour over the number of such weekdays in the period.")
        @Option(help: "Service-level target: the share answered within --within-seconds.") var target: String = "0.8"
        @Option(name: .customLong("within-seconds"), help: "The service-level threshold in seconds.") var withinSeconds: String = "20"
        @Option(name: .customLong("aht-seconds"), help: "Use this AHT instead of the period's measured AHT.") var ahtSeconds: String?
        @Option(help: "Only this weekday (mon … sun).") var weekday: String?
        @Option(help: "Share of paid time not on contacts, 0 to under 1 (default: the pack's shrinkage, 0.3 unless set).") var shrinkage: Double?
        @Option(name: .customLong("occupancy-cap"), help: "Highest occupancy to plan for, above 0 up to 1 (default: the pack's, 0.85 unless set).") var occupancyCap: Double?
        @Flag(help: "Size the forecast week (report forecast, from this Monday) instead of the period's history.") var forecast = false
        @OptionGroup var period: PeriodOptions
        @OptionGroup var store: StoreOptions

        func validate() throws {
            if let shrinkage, !(0..<1).contains(shrinkage) { throw ValidationError("--shrinkage must be from 0 to under 1 (e.g. 0.3), not \(shrinkage)") }
            if let occupancyCap, !(occupancyCap > 0 && occupancyCap <= 1) {
                throw ValidationError("--occupancy-cap must be above 0 and at most 1 (e.g. 0.85), not \(occupancyCap)")
            }
        }

        func run() throws {
            let t: Double = try number(target, "--target")
            guard t > 0, t < 1 else { throw Failure("--target must be between 0 and 1 (e.g. 0.8), not \(target)") }
            let w: Double = try number(withinSeconds, "--within-seconds")
            guard w >= 0, w.isFinite else { throw Failure("--within-seconds must be zero or more, not \(withinSeconds)") }
            let aht: Double? = try ahtSeconds.map { try number($0, "--aht-seconds") }
            if let aht, !(aht > 0 && aht.isFinite) { throw Failure("--aht-seconds must be positive, not \(ahtSeconds!)") }
            let day = try weekday.map { name -> Int in
                guard let i = weekdayNames.firstIndex(where: { $0.lowercased() == String(name.lowercased().prefix(3)) }), name.count >= 3 else {
                    throw Failure("--weekday must be mon, tue, wed, thu, fri, sat or sun, not '\(name)'")
                }
                return i + 1
            }
            let (s, p, f) = try period.open(store)
            var r = try s.staffingReport(p, target: t, withinSeconds: w, ahtSeconds: aht, shrinkage: shrinkage, occupancyCap: occupancyCap,
                                         forecast: forecast ? try s.forecastReport(weeks: 1) : nil)
            if let day { r.rows.removeAll { $0.weekday != day } }
            switch f {
            case .json: print(try jsonString(r))
            case .csv:
                print("weekday,hour,arrivals,arrivals_per_hour,offered_erlangs,agents,probability_of_wait,service_level,occupancy,average_speed_of_answer_seconds,scheduled")
                for x in r.rows {
                    printData(csv([x.day.lowercased(), String(x.hour), String(x.arrivals), num(x.arrivalsPerHour), num(x.offeredErlangs), String(x.agents),
                               num(x.probabilityOfWait), num(x.serviceLevel), num(x.occupancy), num(x.averageSpeedOfAnswerSeconds), String(x.scheduled)]))
                }
            case .table:
                print(heading("Staffing by Erlang C: \(Int((t * 100).rounded()))% within \(num(w))s, AHT \(duration(r.ahtSeconds)) (\(r.ahtSource))", p))
                if r.ahtSeconds == nil { print("No resolved case with recorded work in the period: give --aht-seconds to size the hours.") }
                print("Arrival rates from \(r.arrivalSource == "forecast" ? "the arrivals forecast (report forecast, the week from this Monday)" : "the period's history").")
                print("Open hours only; occupancy at most \(percent(r.occupancyCap)); scheduled = agents ÷ (1 − \(percent(r.shrinkage)) shrinkage).")
                print(table(["DAY", "HOUR", "PER HOUR", "ERLANGS", "AGENTS", "SCHEDULED", "P(WAIT)", "SERVICE LEVEL", "OCCUPANCY", "ASA"],
                            r.rows.map { [$0.day, String(format: "%02d:00", $0.hour), String(format: "%.2f", $0.arrivalsPerHour),
                                          String(format: "%.2f", $0.offeredErlangs), String($0.agents), String($0.scheduled), percent($0.probabilityOfWait),
                                          percent($0.serviceLevel), percent($0.occupancy), String(format: "%.1fs", $0.averageSpeedOfAnswerSeconds)] }))
                if r.closedHourArrivals > 0 { print("\(r.closedHourArrivals) case(s) arrived while the centre was closed: not staffed.") }
                if !r.suggestedHours.isEmpty {
                    print("\nHours the arrivals suggest (the shortest span holding \(percent(StaffingReport.suggestedShare)) of each day's arrivals):")
                    print(table(["DAY", "OPEN", "CLOSE", "SHARE"],
                                r.suggestedHours.map { [$0.day, String(format: "%02d:00", $0.openHour), String(format: "%02d:00", $0.closeHour), percent($0.share)] }))
                }
            }
        }
    }
}

private func heading(_ title: String, _ p: ReportPeriod) -> String { "\(title) · \(p.firstDay) to \(p.lastDay)" }

private func csv(_ cells: [String]) -> String { cells.map { CaseExport.csvField($0) }.joined(separator: ",") }

private func num(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
    return String(format: "%.4f", v)
}

private func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }


