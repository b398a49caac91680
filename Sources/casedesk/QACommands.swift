import ArgumentParser
import CaseCore
import Foundation

/// Quality reviews of resolved cases against the pack's QA scorecard.
struct QACommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "qa", abstract: "Quality reviews: score a resolved case, the queue to review, calibrate scorers, report per agent.",
                                                    subcommands: [Review.self, Queue.self, Show.self, Calibrate.self, QAReportCommand.self])

    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a resolved case: every criterion met (1), not met (0) or not applicable (--na), with a note.",
            discussion: "The review is the acting user's: an admin recording a paper review for a scorer gives --as SCORER.")
        @Argument(help: "The case number.") var id: Int64
        @Option(name: .customLong("score"), help: "CRITERION=0 or CRITERION=1; repeat for each criterion.") var scores: [String] = []
        @Option(name: .customLong("na"), help: "A criterion that does not apply to this case; repeat as needed.") var notApplicable: [String] = []
        @Option(help: "What the scorer saw: required.") var note: String
        @OptionGroup var store: StoreOptions

        func parsed() throws -> [String: Int?] {
            var out: [String: Int?] = [:]
            for s in scores {
                let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let v = Int(parts[1]) else { throw ValidationError("--score must be CRITERION=N (e.g. greeting=1), not '\(s)'") }
                guard out[parts[0]] == nil else { throw ValidationError("criterion '\(parts[0])' is given twice") }
                out[parts[0]] = .some(v)
            }
            for c in notApplicable {
                guard out[c] == nil else { throw ValidationError("criterion '\(c)' is given twice") }
                out[c] = .some(nil)
            }
            return out
        }

        func validate() throws { _ = try parsed() }

        func run() throws {
            let r = try store.open().qaReview(id, as: store.login, scores: try parsed(), note: note)
            print("case #\(id): reviewed by \(r.scorer), \(r.percent.map { String(format: "%.0f%%", $0) } ?? "nothing applicable")")
        }
    }

    /// The board's `Q` list on the command line, for reviewers without a board (trainers).
    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cases to review this week: for each agent, resolved cases nobody has reviewed, up to the pack's sample.")
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let rows = try store.open().qaQueue(as: store.login)
            let t = ReportTable(rows, [
                ReportColumn("CASE", "case") { String($0.id) }, ReportColumn("AGENT", "agent") { $0.assignee ?? "" },
                ReportColumn("STATUS", "status") { $0.status.rawValue }, ReportColumn("CALL TYPE", "call_type") { $0.callType ?? "" },
                ReportColumn("CHANNEL", "channel") { $0.channel.rawValue }, ReportColumn("CUSTOMER", "customer") { $0.customer },
                ReportColumn("SUBJECT", "subject") { $0.subject },
            ])
            try format.emit(rows, csv: [t]) {
                if rows.isEmpty { print("Nothing to review: every agent has this week's reviews."); return }
                print("To review (QA) · \(rows.count) case(s) · this week's sample per agent")
                print(t.text)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The reviews of a case (agents see the reviews of their own cases).")
        /// Reviews are notes with scores: a table for a person or JSON, no CSV.
        enum Format: String, CaseIterable, ExpressibleByArgument { case table, json }
        @Argument var id: Int64
        @Option var format: Format = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let reviews = try store.open().qaReviews(case: id, as: store.login)
            switch format {
            case .json: print(try jsonString(reviews))
            case .table:
                if reviews.isEmpty { print("no reviews of case #\(id) for \(store.login)"); return }
                for r in reviews {
                    print("case #\(r.caseId) · \(r.agent ?? "unassigned") · scored by \(r.scorer) · \(r.percent.map { String(format: "%.0f%%", $0) } ?? "-")")
                    print(table(["CRITERION", "SCORE"], r.scores.map { [$0.criterion, $0.score.map(String.init) ?? "n/a"] }))
                    print("note: \(r.note)")   // print goes through SafeText
                }
            }
        }
    }

    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How each scorer scored one case, per criterion, with the spread.")
        @Option(name: .customLong("case"), help: "The case number.") var caseId: Int64
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let c = try store.open().qaCalibration(case: caseId, as: store.login)
            let total = ["total", "100"] + c.scorers.map { s in c.percents[s].flatMap { $0 }.map { String(format: "%.0f%%", $0) } ?? "-" }
                + [c.percentSpread.map { String(format: "%.0f pts", $0) } ?? "-"]
            let t = ReportTable(c.rows, [ReportColumn("CRITERION", "criterion") { $0.criterion }, ReportColumn("WEIGHT", "weight") { String($0.weight) }]
                + c.scorers.map { s in ReportColumn(s.uppercased(), s) { r in r.scores[s].flatMap { $0 }.map(String.init) ?? "n/a" } }
                + [ReportColumn("SPREAD", "spread", table: { r in r.spread.map { $0 == 0 ? "agree" : String($0) } ?? "-" },
                                csv: { r in r.spread.map(String.init) ?? "" })],
                footer: [total])
            try format.emit(c, csv: [t]) {
                print("Calibration · case #\(c.caseId) · \(c.scorers.count) scorer(s)")
                print(t.text)
            }
        }
    }

    struct QAReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "Reviews in the period per agent: average score and how often each criterion was met.")
        @OptionGroup var period: Report.PeriodOptions
        @OptionGroup var store: StoreOptions
        func run() throws {
            let s = try store.open()
            let r = try s.qaReport(try s.reportPeriod(from: period.from?.text, to: period.to?.text), as: store.login)
            let t = ReportTable(r.agents, [
                ReportColumn("AGENT", "agent") { $0.agent }, ReportColumn("REVIEWS", "reviews") { String($0.reviews) },
                ReportColumn("AVERAGE", "average_percent", table: { a in a.averagePercent.map { String(format: "%.0f%%", $0) } ?? "-" },
                             csv: { num($0.averagePercent) }),
            ] + r.criteria.map { c in
                ReportColumn(c.uppercased(), "\(c)_met_rate", table: { a in a.metRate[c].map { String(format: "%.0f%%", $0 * 100) } ?? "-" },
                             csv: { num($0.metRate[c]) })
            })
            try period.format.emit(r, csv: [t]) {
                print("Quality reviews (\(r.scorecard)) · \(r.period.firstDay) to \(r.period.lastDay)")
                print(t.text)
            }
        }
    }
}
