import Foundation
import Testing
@testable import CaseCore

/// The resolution clock: the pause while pending, the queue clock and the SLA report agreeing
/// on every case at every hour, the board's true at-risk count, "today" in the pack's zone,
/// and closing only a resolved case. Expected values are worked out by hand in the comments.
@Suite struct SLAClockTests {
    /// A moment in July 2025, UTC (July 7 is a Monday).
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date { ReportTests.at(day, hour, minute) }

    /// Open Monday to Friday 09:00–17:00 UTC; billing (8 business hours) pauses while pending,
    /// device (8 business hours) does not.
    static func store(_ clock: TestClock) throws -> CaseStore {
        let (store, _) = try Fixtures.store(now: { clock.now })
        var pack = Fixtures.pack
        pack.businessHours = ReportTests.weekdayHours
        pack.callTypes = pack.callTypes.map { var t = $0; t.pauseWhenPending = t.code == "billing"; return t }
        try store.install(pack)
        return store
    }

    static func newCase(_ callType: String) -> NewCase {
        var n = Fixtures.newCase(); n.callType = callType; n.priority = .p3; return n
    }

    @Test func pendingPausesTheClockAndResumingMovesTheDueTime() throws {
        let clock = TestClock(Self.at(7, 10))
        let store = try Self.store(clock)
        // Created Monday 10:00 with 8 business hours: 7 h on Monday (10–17) and 1 h on Tuesday: due Tuesday 10:00.
        let paused = try store.createCase(Self.newCase("billing"), by: nil)
        let plain = try store.createCase(Self.newCase("device"), by: nil)
        #expect(try store.record(paused).dueAt == Self.at(8, 10))
        try store.assign(paused, to: "alice", by: "dana"); try store.assign(plain, to: "alice", by: "dana")

        // Monday 14:00: both pending on the customer; 4 business hours used, 4 left.
        clock.advance(4 * 3600)
        try store.setStatus(paused, to: .pending, by: "alice")
        try store.setStatus(plain, to: .pending, by: "alice")
        #expect(try store.record(paused).slaPausedAt == Self.at(7, 14))
        #expect(try store.record(plain).slaPausedAt == nil, "device does not pause")

        // Tuesday 12:00, past the first due time: billing is paused, device breached.
        clock.advance(22 * 3600)
        let settings = try store.serviceSettings()
        func state(_ id: Int64) throws -> SLAState {
            let r = try store.record(id)
            return SLAClock.state(due: r.dueAt, pausedAt: r.slaPausedAt, now: clock.now, atRiskWindow: settings.atRiskWindow)
        }
        #expect(try state(paused) == .paused)
        #expect(try state(plain) == .breached)
        #expect(try store.atRisk(before: clock.now.addingTimeInterval(3600)).map(\.id) == [plain])
        let monday = try store.reportPeriod(from: "2025-07-07", to: "2025-07-07")
        var sla = try store.slaReport(monday)
        #expect(sla.byCallType.first { $0.callType == "billing" }?.resolutionPending == 1)
        #expect(sla.byCallType.first { $0.callType == "device" }?.resolutionBreached == 1)

        // Wednesday 11:00 the customer answers. Paused: Monday 14–17 (3 h) + Tuesday 09–17 (8 h)
        // + Wednesday 09–11 (2 h) = 13 business hours. The 4 h left run from 11:00: due Wednesday 15:00.
        clock.advance(23 * 3600)
        try store.setStatus(paused, to: .open, by: "alice")
        let resumed = try store.record(paused)
        #expect(resumed.slaPausedAt == nil && resumed.slaPausedSeconds == 13 * 3600)
        #expect(resumed.dueAt == Self.at(9, 15))
        #expect(try state(paused) == .ok, "4 h left")

        // Resolved Wednesday 14:30: 4 h + 3.5 h = 7.5 business hours of the 8: met, before the due time.
        clock.advance(3.5 * 3600)
        try store.resolve(paused, code: "fixed", by: "alice")
        sla = try store.slaReport(monday)
        #expect(sla.byCallType.first { $0.callType == "billing" }?.resolutionMet == 1)
    }

    @Test func resolvingStraightFromPendingEndsThePause() throws {
        let clock = TestClock(Self.at(7, 10))
        let store = try Self.store(clock)
        let id = try store.createCase(Self.newCase("billing"), by: nil)
        try store.assign(id, to: "alice", by: "dana")
        clock.advance(3600)
        try store.setStatus(id, to: .pending, by: "alice")
        // Friday 11 July 10:00: paused Monday 11–17 (6 h), Tuesday to Thursday (24 h), Friday 09–10 (1 h) = 31 h.
        clock.advance(4 * 86400 - 3600)
        try store.resolve(id, code: "fixed", by: "alice")
        let r = try store.record(id)
        #expect(r.slaPausedAt == nil && r.slaPausedSeconds == 31 * 3600)
        // 1 business hour on the clock: met.
        let sla = try store.slaReport(try store.reportPeriod(from: "2025-07-07", to: "2025-07-07"))
        #expect(sla.overall.resolutionMet == 1)
    }

    /// At every half hour of a week the queue clock (due time vs now) and the SLA report agree
    /// on which cases are breached: cases paused, resumed, never paused, and due at closing time.
    @Test func queueClockAndReportAgreeEveryHalfHour() throws {
        let clock = TestClock(Self.at(7, 9))
        let store = try Self.store(clock)
        var ids: [Int64] = []
        for (i, ct) in ["billing", "device", "billing", "device", "billing"].enumerated() {
            clock.advance(i == 0 ? 0 : Double(i) * 1800 + 600)
            let id = try store.createCase(Self.newCase(ct), by: nil)
            try store.assign(id, to: "alice", by: "dana")
            ids.append(id)
        }
        // The first, created Monday 09:00 with 8 h, uses the whole day: it falls due at Tuesday's opening
        // (09:00), not Monday 17:00, so the clock and the report agree all night.
        let settings = try store.serviceSettings()
        let period = try store.reportPeriod(from: "2025-07-07", to: "2025-07-07")
        var step = 0
        while clock.now < Self.at(11, 17) {
            clock.advance(1800); step += 1
            if step == 9 { try store.setStatus(ids[0], to: .pending, by: "alice"); try store.setStatus(ids[1], to: .pending, by: "alice") }
            if step == 40 { try store.setStatus(ids[0], to: .open, by: "alice") }
            if step == 60 { try store.setStatus(ids[2], to: .pending, by: "alice") }
            var queueBreached = 0
            for id in ids {
                let r = try store.record(id)
                if SLAClock.state(due: r.dueAt, pausedAt: r.slaPausedAt, now: clock.now, atRiskWindow: settings.atRiskWindow) == .breached {
                    queueBreached += 1
                }
            }
            let report = try store.slaReport(period)
            #expect(report.overall.resolutionBreached == queueBreached, "at \(clock.now)")
        }
    }

    @Test func boardCountsEveryCaseAtRiskAndListsTheFirstFifty() throws {
        let clock = TestClock(Self.at(14, 12))
        let (store, _) = try Fixtures.store(now: { clock.now })
        // 93 cases created a day ago: 8 business hours (.always) passed 16 hours ago, all overdue.
        var new = Fixtures.newCase(); new.team = "Tier 1"; new.createdAt = Self.at(13, 12)
        try store.createCases(Array(repeating: new, count: 93), by: nil)
        let board = try store.board(for: "dana")
        #expect(board.atRisk.count == CaseStore.boardRiskLimit)
        #expect(board.atRiskTotal == 93)
    }

    @Test func boardTodayIsTheBusinessDayInThePacksZone() throws {
        // New York: 2025-07-16 02:00Z is 22:00 EDT on the 15th; a resolution at 20:00Z (16:00 EDT)
        // is today there, though it was yesterday in UTC.
        let clock = TestClock(Self.at(15, 20))
        let (store, _) = try Fixtures.store(now: { clock.now })
        var pack = Fixtures.pack
        pack.businessHours = BusinessHours(timeZone: "America/New_York", days: BusinessHours.always.days)
        try store.install(pack)
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        try store.assign(id, to: "alice", by: "dana")
        try store.resolve(id, code: "fixed", by: "alice")
        clock.advance(6 * 3600)
        #expect(try store.board(for: "dana").agents.first { $0.login == "alice" }?.handledToday == 1)
        clock.advance(3 * 3600)   // 01:00 EDT on the 16th: a new day
        #expect(try store.board(for: "dana").agents.first { $0.login == "alice" }?.handledToday == 0)
    }

    @Test func closingNeedsAResolvedCase() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        try store.assign(id, to: "alice", by: "dana")
        #expect(throws: CaseError.invalid("case #\(id) is open: resolve it with a resolution code first (casedesk case resolve \(id) --code CODE), then close it")) {
            try store.setStatus(id, to: .closed, by: "alice")
        }
        #expect(try store.record(id).status == .open, "nothing changed")
        try store.resolve(id, code: "fixed", by: "alice")
        try store.setStatus(id, to: .closed, by: "alice")
        let r = try store.record(id)
        #expect(r.status == .closed && r.resolutionCode == "fixed" && r.resolvedAt != nil)
    }
}
