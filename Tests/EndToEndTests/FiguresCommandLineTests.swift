import Foundation
import Testing

/// Quality reviews, survey CSAT and staffing from the command line, as a lead, a trainer and
/// an agent trying their luck would run them on the demo database.
@Suite(.serialized) struct FiguresCommandLineTests {
    static let db: String = try! DeskTerminalTests.demoDatabase()
    static let scores = ["greeting", "verification", "understanding", "call_type", "resolution", "empathy", "ownership", "close"]
        .flatMap { ["--score", "\($0)=1"] } + ["--na", "documentation"]
    static let refusal = "casedesk: alice may not do quality reviews (qa review, qa calibrate, qa queue) (alice is an agent): only a lead, a trainer or an admin may\n"

    func run(_ args: [String]) throws -> Casedesk.Result { try Casedesk.run(args + ["--db", Self.db]) }

    /// The cases waiting for review, as the trainer's `qa queue` lists them.
    func queue(as login: String) throws -> [Int] {
        let r = try run(["qa", "queue", "--format", "json", "--as", login])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        return rows.compactMap { $0["id"] as? Int }
    }

    func reviewers(of id: Int) throws -> [String] {
        let r = try run(["qa", "show", String(id), "--format", "json", "--as", "dana"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        return rows.compactMap { $0["scorer"] as? String }
    }

    @Test func anAgentCannotFileAReviewUnderALeadsName() throws {
        let id = try #require(try queue(as: "tess").first)
        #expect(try reviewers(of: id).isEmpty)
        // The attack: an agent names the lead as the scorer. Refused, one line, nothing written.
        let named = try run(["qa", "review", String(id), "--as", "alice", "--scorer", "dana"] + Self.scores + ["--note", "great call"])
        #expect(named.status != 0 && named.stdout.isEmpty, "\(named.stdout)")
        #expect(named.stderr.split(separator: "\n").count == 1 && named.stderr.contains("--scorer"), "\(named.stderr)")
        // As themselves: the policy's refusal, naming what was asked.
        let own = try run(["qa", "review", String(id), "--as", "alice"] + Self.scores + ["--note", "great call"])
        #expect(own.status == 1 && own.stderr == Self.refusal, "\(own.stderr)")
        #expect(try reviewers(of: id).isEmpty, "nothing written")
        // The calibration and the queue say the same, not "score".
        #expect(try run(["qa", "calibrate", "--case", String(id), "--as", "alice"]).stderr == Self.refusal)
        #expect(try run(["qa", "queue", "--as", "alice"]).stderr == Self.refusal)
        // A trainer reviews as themselves, and the case leaves the queue.
        let tess = try run(["qa", "review", String(id), "--as", "tess"] + Self.scores + ["--note", "clear and kind"])
        #expect(tess.status == 0 && tess.stdout.hasPrefix("case #\(id): reviewed by tess"), "\(tess.stderr)")
        #expect(try reviewers(of: id) == ["tess"])
        #expect(try !queue(as: "tess").contains(id))
        let table = try run(["qa", "queue", "--as", "tess"])
        #expect(table.status == 0 && (table.stdout.hasPrefix("To review (QA) · ") || table.stdout.hasPrefix("Nothing to review")), "\(table.stdout)")
    }

    @Test func aSurveyAnswerFromTheFutureIsRefusedWithFileAndLine() throws {
        let list = try run(["case", "list", "--status", "resolved", "--limit", "2", "--format", "json", "--as", "dana"])
        let ids = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]).compactMap { $0["id"] as? Int }
        try #require(ids.count == 2)
        let file = try Casedesk.tempDir() + "/ahead.jsonl"
        try "{\"case\": \(ids[0]), \"score\": 4}\n{\"case\": \(ids[1]), \"score\": 1, \"comment\": \"Late\", \"at\": \"2099-01-01T00:00:00Z\"}\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let r = try run(["csat", "import", file, "--replace", "--as", "dana"])
        #expect(r.status == 1 && r.stderr == "ahead.jsonl:2: the answer for case #\(ids[1]) is dated 2099-01-01T00:00:00Z, in the future\n", "\(r.stderr)")
        let doctor = try Casedesk.run(["doctor", "--db", Self.db])
        #expect(doctor.status == 0 && doctor.stdout.contains("consistency: CSAT answers dated after now: none"), "\(doctor.stdout)")
    }

    @Test func staffingSaysWhichArrivalsItSized() throws {
        let forecast = try run(["report", "staffing", "--as", "dana"])
        #expect(forecast.status == 0 && forecast.stdout.contains("Arrival rates from the arrivals forecast (report forecast"), "\(forecast.stdout)")
        let history = try run(["report", "staffing", "--from-history", "--as", "dana"])
        #expect(history.status == 0 && history.stdout.contains("Arrival rates from the period's history (--from-history)."))
        // A new database has no history for a forecast: the period's (empty) history, and why.
        let fresh = try Casedesk.run(["report", "staffing", "--db", try Casedesk.freshDatabase()])
        #expect(fresh.status == 0 && fresh.stdout.contains(
            "Arrival rates from the period's history, not a forecast: a forecast needs at least two whole weeks of history "
            + "(Monday to Sunday: two seasons to start its trend from); there are 0."), "\(fresh.stdout)\(fresh.stderr)")
    }
}
