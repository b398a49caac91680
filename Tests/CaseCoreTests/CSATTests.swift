import Foundation
import Testing
@testable import CaseCore

/// CSAT as it arrives: recorded after resolution, once unless replaced, imported all or
/// nothing, a low score alerting the board, and the report's response rate and trends.
@Suite struct CSATTests {
    static func at(_ day: Int, _ hour: Int) -> Date { ReportTests.at(day, hour, 0) }

    /// Three cases resolved Monday 7 July (billing.dispute, billing.dispute, device.setup)
    /// and one still open; alice holds them all.
    static func setup(_ clock: TestClock) throws -> (CaseStore, [Int64], String) {
        let (store, path) = try Fixtures.store(now: { clock.now })
        var ids: [Int64] = []
        for ct in ["billing.dispute", "billing.dispute", "device.setup", "billing"] {
            let id = try store.createCase(Fixtures.newCase(callType: ct), by: nil)
            try store.assign(id, to: "alice", by: "dana")
            if ct != "billing" { try store.resolve(id, code: "fixed", by: "alice") }
            ids.append(id)
        }
        return (store, ids, (path as NSString).deletingLastPathComponent)
    }

    @Test func recordAfterResolutionOnceUnlessReplaced() throws {
        let clock = TestClock(Self.at(7, 10))
        let (store, ids, _) = try Self.setup(clock)
        clock.advance(86400)
        try store.recordCSAT(ids[0], score: 2, comment: "Nobody called back", by: "dana")
        let r = try store.record(ids[0])
        #expect(r.csat == 2)
        #expect(try store.detail(ids[0]).events.last?.body == "Nobody called back")
        #expect(throws: CaseError.invalid("case #\(ids[0]) already has CSAT 2; use --replace to change it")) {
            try store.recordCSAT(ids[0], score: 4, by: "dana")
        }
        try store.recordCSAT(ids[0], score: 4, replace: true, by: "dana")
        #expect(try store.record(ids[0]).csat == 4)
        #expect(throws: CaseError.invalid("case #\(ids[3]) is open: CSAT is recorded after resolution")) {
            try store.recordCSAT(ids[3], score: 5, by: "dana")
        }
        #expect(throws: CaseError.invalid("CSAT is 1 to 5, not 6")) { try store.recordCSAT(ids[1], score: 6, by: "dana") }
        #expect(throws: CaseError.noSuchCase(999)) { try store.recordCSAT(999, score: 5, by: "dana") }
        #expect(throws: CaseError.self) { try store.recordCSAT(ids[1], score: 5, by: "alice") }
        #expect(try store.record(ids[1]).csat == nil, "nothing written by the refused calls")
    }

    @Test func importIsAllOrNothingWithFileAndLine() throws {
        let clock = TestClock(Self.at(7, 10))
        let (store, ids, dir) = try Self.setup(clock)
        clock.advance(86400)
        let bad = (dir as NSString).appendingPathComponent("survey.csv")
        try "case,score,comment\n\(ids[0]),5,Great\n\(ids[1]),0,\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: ImportError.self) { try store.importCSAT(file: bad, by: "dana") }
        do { try store.importCSAT(file: bad, by: "dana") } catch let e as ImportError {
            #expect(e.description == "survey.csv:3: CSAT is 1 to 5, not 0")
        }
        #expect(try store.record(ids[0]).csat == nil, "line 2 was not written either")
        let open = (dir as NSString).appendingPathComponent("open.jsonl")
        try "{\"case\": \(ids[0]), \"score\": 5}\n{\"case\": \(ids[3]), \"score\": 4}\n".write(toFile: open, atomically: true, encoding: .utf8)
        do { try store.importCSAT(file: open, by: "dana"); Issue.record("an open case was scored") } catch let e as ImportError {
            #expect(e.description == "open.jsonl:2: case #\(ids[3]) is open: CSAT is recorded after resolution")
        }
        let early = (dir as NSString).appendingPathComponent("early.csv")
        try "case,score,at\n\(ids[0]),5,2025-07-06T10:00:00Z\n".write(toFile: early, atomically: true, encoding: .utf8)
        do { try store.importCSAT(file: early, by: "dana"); Issue.record("an answer before resolution was taken") } catch let e as ImportError {
            #expect(e.description == "early.csv:2: the answer for case #\(ids[0]) is dated before the case was resolved")
        }
        let good = (dir as NSString).appendingPathComponent("good.jsonl")
        try "{\"case\": \(ids[0]), \"score\": 5, \"comment\": \"Great\"}\n{\"case\": \(ids[1]), \"score\": 1, \"comment\": \"Rude\"}\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        #expect(try store.importCSAT(file: good, by: "dana") == 2)
        #expect(try store.record(ids[1]).csat == 1)
    }

    @Test func anAnswerDatedInTheFutureIsRefused() throws {
        // Now is Tuesday 8 July 10:00; an answer dated 2099 (a survey tool's typo) is refused,
        // from the record call and from a file with FILE:LINE, and nothing is written.
        let clock = TestClock(Self.at(7, 10))
        let (store, ids, dir) = try Self.setup(clock)
        clock.advance(86400)
        let future = try #require(ISO8601DateFormatter().date(from: "2099-01-01T00:00:00Z"))
        #expect(throws: CaseError.invalid("the answer for case #\(ids[0]) is dated 2099-01-01T00:00:00Z, in the future")) {
            try store.recordCSAT(ids[0], score: 1, at: future, by: "dana")
        }
        let file = (dir as NSString).appendingPathComponent("ahead.csv")
        try "case,score,comment,at\n\(ids[0]),5,,2025-07-08T09:00:00Z\n\(ids[1]),1,Late,2099-01-01T00:00:00Z\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        do { try store.importCSAT(file: file, by: "dana"); Issue.record("an answer from the future was taken") } catch let e as ImportError {
            #expect(e.description == "ahead.csv:3: the answer for case #\(ids[1]) is dated 2099-01-01T00:00:00Z, in the future")
        }
        #expect(try store.record(ids[0]).csat == nil, "nothing written")
        #expect(try store.record(ids[1]).csat == nil)
        // Dated exactly now is fine.
        try store.recordCSAT(ids[0], score: 4, at: clock.now, by: "dana")
        #expect(try store.record(ids[0]).csat == 4)
    }

    @Test func lowScoreAlertsTheBoardWithTheComment() throws {
        let clock = TestClock(Self.at(7, 10))
        let (store, ids, _) = try Self.setup(clock)
        #expect(try store.board(for: "dana").csatAlerts.isEmpty)
        clock.advance(3600)
        try store.recordCSAT(ids[0], score: 2, comment: "Nobody called back", by: "dana")   // ≤ 2: alert
        try store.recordCSAT(ids[1], score: 3, by: "dana")                                  // 3: no alert
        let board = try store.board(for: "dana")
        #expect(board.csatAlertTotal == 1)
        #expect(board.csatAlerts == [CSATAlert(caseId: ids[0], score: 2, comment: "Nobody called back", at: Self.at(7, 11),
                                               agent: "alice", callType: "billing.dispute")])
        // Eight days on it has aged off the board.
        clock.advance(8 * 86400)
        #expect(try store.board(for: "dana").csatAlertTotal == 0)
    }

    @Test func reportCountsResponseRateAndWeeklyTrendPerCallType() throws {
        let clock = TestClock(Self.at(7, 10))
        let (store, ids, _) = try Self.setup(clock)
        clock.advance(86400)
        try store.recordCSAT(ids[0], score: 5, by: "dana")
        try store.recordCSAT(ids[2], score: 2, by: "dana")
        // Resolved in the week: 3 (two disputes, one setup); answered: 2. Rate 2/3.
        let r = try store.csatReport(try store.reportPeriod(from: "2025-07-07", to: "2025-07-13"))
        #expect(r.overall.resolved == 3 && r.overall.responses == 2 && r.overall.responseRate == 2.0 / 3.0)
        #expect(r.overall.average == 3.5)
        let dispute = try #require(r.byCallType.first { $0.key == "billing.dispute" })
        #expect(dispute.resolved == 2 && dispute.responses == 1 && dispute.responseRate == 0.5)
        #expect(r.weeklyByCallType.map(\.callType) == ["billing.dispute", "device.setup"])
        #expect(r.weeklyByCallType[1].weeks == [CSATWeek(weekStarting: "2025-07-07", responses: 1, average: 2, resolved: 1, responseRate: 1)])
    }
}
