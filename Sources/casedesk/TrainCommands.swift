import ArgumentParser
import CaseCore
import CaseDesk
import Foundation

/// `casedesk train …`: case studies, role-play sessions, the trainer console, scoring.
/// Every command that writes checks first that the database is a training database.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Training: case studies, role-play sessions, scoring.",
        subcommands: [Genericize.self, InitTraining.self, Lint.self, Session.self, Say.self, Console.self, Score.self,
                      Calibrate.self, DebriefCommand.self])

    struct Genericize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy chosen cases into a new training database with every identifying detail replaced.")
        @Option(help: "The source database (read only).") var from: String
        @Option(help: "The training database to create (must not exist).") var out: String
        @Option(name: .customLong("call-type"), help: "Only this call type (and its children).") var callType: String?
        @Option(help: "Only cases born on this channel.") var channel: Channel?
        @Option(help: ArgumentHelp("Only cases created on or after this day (UTC).", valueName: "yyyy-mm-dd")) var since: Day?
        @Option(help: ArgumentHelp("Only cases created before this day (UTC).", valueName: "yyyy-mm-dd")) var until: Day?
        @Option(help: "Only these case ids, comma-separated.") var cases: CaseIds?
        @Option(help: "At most this many (the newest), 1 or more.", transform: number("a count of 1 or more") { $0 >= 1 }) var limit: Int?

        func run() throws {
            let options = GenericizeOptions(callType: callType, channel: channel, since: since?.utcMidnight, until: until?.utcMidnight,
                                            caseIds: cases?.ids, limit: limit)
            // Real cases leave production only for a trainer or an admin of it.
            let source = try StoreOptions.parse(["--db", from]).open()
            try source.require(Acting.identity?.login ?? OSAccount.loginOrUid(), .runTraining)
            if let refusal = SharedInstall.refusalToOpen(out) { throw Failure(refusal) }
            print(try Genericizer.run(from: from, to: out, options: options, admin: OSAccount.loginOrUid()))
        }
    }

    struct InitTraining: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init",
            abstract: "Create an empty training database with the content pack (for scenarios written fresh).")
        @Option(help: "The training database to create.") var db: String
        @Option(help: "The content pack directory (default: the shipped one).") var pack: String?
        func run() throws {
            if FileManager.default.fileExists(atPath: db) { throw Failure("\(db) already exists; nothing was changed") }
            let (p, _) = try loadPack(pack)
            if let refusal = SharedInstall.refusalToOpen(db) { throw Failure(refusal) }
            try CaseStore.createTraining(path: db, pack: p, admin: OSAccount.loginOrUid())
            print("created training database \(db): \(p.callTypes.count) call types, \(p.scripts.count) scripts")
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check role-play scenarios: prints FILE:LINE: problem for each.")
        @Argument(help: "A scenario directory or file (default: Resources/training).") var path: String?
        @Option(help: "Check call types, resolutions and script steps against this content pack (default: the shipped one).") var pack: String?
        func run() throws {
            guard let url = path.map({ URL(fileURLWithPath: $0) }) ?? ScenarioLoader.defaultDirectory() else {
                throw Failure("cannot find the scenarios (Resources/training); name a directory")
            }
            let packDir = pack.map { URL(fileURLWithPath: $0) } ?? PackLocator.defaultPackDirectory()
            let contentPack = packDir.flatMap { try? PackLoader.load(directory: $0) }
            try requireReadable(url.path)
            let (scenarios, problems) = ScenarioLoader.analyse(path: url, pack: contentPack)
            for p in problems { print(p) }
            if !problems.isEmpty { throw Failure("\(problems.count) problem(s) in \(url.relativePath)") }
            print("\(url.relativePath): ok (\(scenarios.count) scenario(s): \(Set(scenarios.map(\.topic)).count) of 4 topics)")
        }
    }

    struct Session: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Role-play sessions: new, show, list.",
                                                        subcommands: [New.self, Show.self, List.self])

        struct New: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Start a session: each participant gets their own copy of the scenario's case.")
            @Option(help: "The training module this session belongs to.") var module: String
            @Option(help: "The scenario id (casedesk train lint lists the directory).") var scenario: String
            @Option(help: "The trainer's login (created if new).") var trainer: String
            @Option(parsing: .upToNextOption, help: "login:Department, comma-separated (at most 15).") var participants: [String]
            @Option(help: "The scenario directory (default: Resources/training).") var scenarios: String?
            @Option(name: .customLong("from-case"), help: "Start from this (genericized) case of the training database instead of the scenario's own case.")
            var fromCase: Int64?
            @OptionGroup var store: StoreOptions

            func run() throws {
                let list = try parseParticipants(participants)
                if list.count > TrainingLimits.maxParticipants {
                    throw Failure("a session has at most \(TrainingLimits.maxParticipants) participants; \(list.count) were named ('\(list[TrainingLimits.maxParticipants].login)' is the 16th); nothing was written")
                }
                let s = try store.openTraining()
                try s.require(store.login, .runTraining)
                let found = try findScenario(scenario, in: scenarios, pack: try s.currentPack())
                let session = try s.createSession(module: module, scenario: found, trainer: trainer, participants: list, fromCase: fromCase)
                print("session \(session.id): \(session.module) · \(found.id) (\(found.topic.title))")
                print(session.mixText)
                for p in session.participants {
                    print("  \(p.login) (\(p.department)): case #\(p.caseId) — casedesk --db \(store.path) --as \(p.login)")
                }
                print("trainer console: casedesk train console \(session.id) --db \(store.path) --as \(trainer)")
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a session: scenario, mix, each trainee's progress.")
            @Argument var session: Int64
            @OptionGroup var store: StoreOptions
            func run() throws {
                let (s, session) = try store.openSession(session)
                let sc = session.scenario
                print("session \(session.id) · \(session.module) · trainer \(session.trainer)")
                print("scenario: \(sc.id) — \(sc.title) (\(sc.topic.title))")
                print("persona: \(sc.startingCase.customer), \(sc.persona.style): \(sc.persona.description)")
                print("expected: call type \(sc.expectedCallType), resolution \(sc.expectedResolution)")
                print(session.mixText)
                let rows = try s.progress(session: session).map { p in
                    [p.participant.login, p.participant.department, "#\(p.participant.caseId)", p.stepTitle,
                     p.detail.record.callType ?? "-", String(p.responsesSent), "\(p.linesSent.count)/\(sc.lines.count)",
                     duration(p.handleSeconds), p.detail.record.status.rawValue]
                }
                print(table(["TRAINEE", "DEPARTMENT", "CASE", "STEP", "CALL TYPE", "RESPONSES", "LINES", "TIME", "STATUS"], rows))
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List sessions.")
            @OptionGroup var store: StoreOptions
            func run() throws {
                let s = try store.openTraining()
                print(table(["ID", "MODULE", "SCENARIO", "TOPIC", "TRAINER", "PARTICIPANTS"],
                            try s.sessions().map { [String($0.id), $0.module, $0.scenario.id, $0.scenario.topic.rawValue, $0.trainer, String($0.participants.count)] }))
            }
        }
    }

    struct Say: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the customer's line to one trainee or all: typed text, or --next for the next scripted line.")
        @Argument var session: Int64
        @Argument(help: "What the customer says (omit with --next).") var text: String?
        @Option(help: "Only this trainee.") var to: String?
        @Flag(help: "Every trainee (the default when --to is not given).") var all = false
        @Flag(help: "Send each trainee's next scripted line (the branch their actions match, else the main line).") var next = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            if to != nil && all { throw Failure("use --to LOGIN or --all, not both") }
            guard (text != nil) != next else { throw Failure("give the line's text, or --next for the scripted line (not both)") }
            let (s, session) = try store.openSession(session)
            let targets = to.map { [$0] }
            if let text {
                let sent = try s.say(session: session.id, to: targets, text: text, by: store.login)
                print("sent to \(sent.joined(separator: ", "))")
                return
            }
            for (login, sent) in try s.sayNext(session: session, to: targets, by: store.login) {
                guard let (line, branch) = sent else { print("\(login): no scripted line left"); continue }
                print("\(login): \(line.id)\(branch.map { " (\($0.label))" } ?? "")")
            }
        }
    }

    struct Console: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The trainer console: each trainee live; send the customer's lines; score.")
        @Argument var session: Int64
        @OptionGroup var store: StoreOptions
        func run() throws {
            let (s, session) = try store.openSession(session)
            let login = store.asLogin ?? session.trainer
            try s.require(login, .runTraining)
            do {
                let status = try TrainerConsoleRunner.run(store: s, session: session.id, login: login)
                if status != 0 { throw ExitCode(status) }
            } catch let error as TerminalError {
                throw Failure(error.message.replacingOccurrences(of: "casedesk: ", with: ""))
            }
        }
    }

    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Score a trainee on one rubric criterion (several scorers may score).")
        @Argument var session: Int64
        @Argument var trainee: String
        @Option(help: "The rubric criterion id.") var criterion: String
        @Option(help: "0 to the criterion's max.") var score: Int
        @OptionGroup var store: StoreOptions
        func run() throws {
            let s = try store.openTraining()
            try s.score(session: session, trainee: trainee, criterion: criterion, score: score, by: store.login)
            print("\(store.login) scored \(trainee) \(score) on \(criterion)")
        }
    }

    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Where scorers of the same attempts differ.")
        @Argument var session: Int64
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let c = try store.openTraining().calibrate(session: session)
            if format == .json { print(try jsonString(c)); return }
            if c.items.isEmpty { print("no attempt has two scorers yet: ask a second scorer (casedesk train score … --as LOGIN)"); return }
            print(table(["TRAINEE", "CRITERION", "SCORES", "SPREAD", ""], c.items.map {
                [$0.trainee, $0.criterion, $0.scores.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                 String($0.spread), $0.differs ? "differs: talk it through" : "agrees"]
            }))
            print("")
            print(table(["SCORER", "SCORES", "BIAS"], c.scorers.map { [$0.scorer, String($0.scored), String(format: "%+.2f", $0.bias)] }))
        }
    }

    struct DebriefCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "debrief",
            abstract: "Each trainee's scores, timeline, strengths and gaps, and the group's results per topic.")
        @Argument var session: Int64
        @Option var format: DebriefFormat = .text
        @OptionGroup var store: StoreOptions
        func run() throws {
            let d = try store.openTraining().debrief(session: session)
            switch format {
            case .json: print(try jsonString(d))
            case .csv: printData(DebriefText.csv(d), terminator: "")
            case .text: print(DebriefText.text(d), terminator: "")
            }
        }
    }
}

enum DebriefFormat: String, ExpressibleByArgument, CaseIterable { case text, csv, json }

enum DebriefText {
    static func pct(_ d: Double?) -> String { d.map { String(format: "%.0f%%", $0) } ?? "-" }

    static func text(_ d: Debrief) -> String {
        var out = "Debrief · session \(d.session) · \(d.module) · \(d.scenario) (\(d.topic))\n\(d.mix)\n"
        for t in d.trainees {
            out += "\n\(t.login) (\(t.department)) · case #\(t.caseId) · \(t.status) · overall \(pct(t.overallPercent))"
            let partly = t.rubricPercent != nil && t.rubricScoredShare < 1 ? " (\(pct(t.rubricScoredShare * 100)) of the weight scored)" : ""
            out += " · rubric \(pct(t.rubricPercent))\(partly) · desk \(pct(t.autoPercent))\n"
            for c in t.rubric {
                let scores = c.scores.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                out += "  \(c.id) (\(c.weight)%): \(c.mean.map { CaseStoreFormat.number($0) } ?? "-")/\(c.max)\(scores.isEmpty ? "" : " [\(scores)]")\n"
            }
            out += "  script adherence \(pct(t.auto.scriptAdherence * 100)) · call type \(t.auto.callTypeChosen ?? "none") \(t.auto.callTypeCorrect ? "✓" : "✗")"
            out += " · resolution \(t.auto.resolutionChosen ?? "none") \(t.auto.resolutionCorrect ? "✓" : "✗") · handle time \(duration(t.auto.handleSeconds))\n"
            if !t.strengths.isEmpty { out += "  strengths: " + t.strengths.joined(separator: "; ") + "\n" }
            if !t.gaps.isEmpty { out += "  gaps: " + t.gaps.joined(separator: "; ") + "\n" }
            out += "  timeline:\n" + t.timeline.map { "    \($0)\n" }.joined()
        }
        out += "\nGroup results per topic (module \(d.module)):\n"
        for t in d.topics { out += "  \(t.title): \(pct(t.meanPercent)) over \(t.attempts) attempt(s) in \(t.sessions) session(s)\n" }
        return out
    }

    static func csv(_ d: Debrief) -> String {
        let criteria = d.trainees.first?.rubric.map(\.id) ?? []
        var out = (["session", "trainee", "department", "case", "status", "overall_percent", "rubric_percent", "auto_percent",
                    "script_adherence", "call_type_correct", "resolution_correct", "handle_seconds"] + criteria + ["strengths", "gaps"])
            .joined(separator: ",") + "\n"
        for t in d.trainees {
            let cells: [String?] = [String(d.session), t.login, t.department, String(t.caseId), t.status, String(format: "%.1f", t.overallPercent),
                                    t.rubricPercent.map { String(format: "%.1f", $0) }, String(format: "%.1f", t.autoPercent),
                                    String(format: "%.2f", t.auto.scriptAdherence), String(t.auto.callTypeCorrect), String(t.auto.resolutionCorrect),
                                    String(Int(t.auto.handleSeconds))]
                + t.rubric.map { c in c.mean.map { CaseStoreFormat.number($0) } }
                + [t.strengths.joined(separator: "; "), t.gaps.joined(separator: "; ")]
            out += cells.map { CaseExport.csvField($0) }.joined(separator: ",") + "\n"
        }
        return out
    }
}

enum CaseStoreFormat {
    static func number(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d) }
}

func duration(_ seconds: Double?) -> String { DurationText.elapsed(seconds) }

/// `a:Finance,b:R&D c` → [(a, Finance), (b, R&D), (c, customer care)].
func parseParticipants(_ args: [String]) throws -> [(login: String, department: String)] {
    try args.flatMap { $0.split(separator: ",") }.map { item in
        let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let login = parts.first, !login.isEmpty else { throw Failure("--participants takes login:Department items, not '\(item)'") }
        return (login, parts.count > 1 && !parts[1].isEmpty ? parts[1] : "customer care")
    }
}

func findScenario(_ id: String, in dir: String?, pack: ContentPack) throws -> Scenario {
    guard let url = dir.map({ URL(fileURLWithPath: $0) }) ?? ScenarioLoader.defaultDirectory() else {
        throw Failure("cannot find the scenarios (Resources/training); name them with --scenarios DIR or CASEDESK_TRAINING")
    }
    try requireReadable(url.path)
    let (scenarios, problems) = ScenarioLoader.analyse(path: url, pack: pack)
    if let s = scenarios.first(where: { $0.id == id }) { return s }
    if !problems.isEmpty { throw Failure(problems.map(\.description).joined(separator: "\n")) }
    throw Failure("no scenario '\(id)' in \(url.relativePath) (there are: \(scenarios.map(\.id).joined(separator: ", ")))")
}
