import Foundation
import GRDB
import Testing
@testable import CaseCore

/// `casedesk report`: each report's exact numbers on a small hand-made week, Erlang C against
/// an independent reference, an empty database, and the demo database.
@Suite struct ReportTests {
    /// Wednesday 2025-07-16 12:00 UTC.
    static let now = at(16, 12, 0)

    /// A moment in July 2025, UTC (July 7 is a Monday).
    static func at(_ day: Int, _ hour: Int, _ minute: Int) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: DateComponents(year: 2025, month: 7, day: day, hour: hour, minute: minute))!
    }

    /// The fixture pack, open Monday to Friday 09:00–17:00 UTC.
    static let weekdayHours = BusinessHours(timeZone: "UTC", days: Dictionary(uniqueKeysWithValues: (1...5).map {
        ($0, BusinessHours.Span(openMinute: 9 * 60, closeMinute: 17 * 60)) }))

    struct Week {
        var store: CaseStore
        var dir: String
        var alice: Int64, bob: Int64
    }

    /// The week of 7–13 July, with a case either side of it. Targets (first response / resolution):
    /// billing 60/480, billing.dispute 30/240, device.setup 120/960 business minutes.
    static func week() throws -> Week {
        let (store, path) = try Fixtures.store(now: { now })
        var pack = Fixtures.pack
        pack.businessHours = weekdayHours
        try store.install(pack)
        let alice = try store.user(login: "alice").id, bob = try store.user(login: "bob").id
        try store.pool.write { db in
            for (id, name) in [(1, "Ann"), (2, "Ben"), (3, "Cat"), (4, "Dev")] {
                try db.execute(sql: "INSERT INTO customers(id, name) VALUES (?, ?)", arguments: [id, name])
            }
            func add(_ id: Int64, customer: Int64, _ callType: String?, _ channel: String, created: Date, response: Date? = nil,
                     resolved: Date? = nil, csat: Int? = nil, selfService: Bool = false, assignee: Int64? = nil) throws {
                try db.execute(sql: """
                    INSERT INTO cases(id, customer_id, channel, call_type, subject, status, priority, assignee_id, created_at,
                                      first_response_at, due_at, resolved_at, resolution_code, csat, self_service, updated_at)
                    VALUES (?,?,?,?,?,?,3,?,?,?,?,?,?,?,?,?)
                    """, arguments: [id, customer, channel, callType, "case \(id)", resolved == nil ? "open" : "resolved", assignee,
                                     created.timeIntervalSince1970, response?.timeIntervalSince1970, created.timeIntervalSince1970 + 86400,
                                     resolved?.timeIntervalSince1970, resolved == nil ? nil : "fixed", csat, selfService,
                                     created.timeIntervalSince1970])
            }
            func work(_ caseId: Int64, _ user: Int64, _ start: Date, seconds: Double?) throws {
                try db.execute(sql: "INSERT INTO work_intervals(case_id, user_id, started_at, ended_at) VALUES (?,?,?,?)",
                               arguments: [caseId, user, start.timeIntervalSince1970, seconds.map { start.timeIntervalSince1970 + $0 }])
            }
            func flag(_ caseId: Int64, _ user: Int64, _ when: Date, _ rule: String, answered: Bool = false) throws {
                try db.execute(sql: "INSERT INTO rule_flags(case_id, user_id, at, rule, status) VALUES (?,?,?,?,?)",
                               arguments: [caseId, user, when.timeIntervalSince1970, rule, answered ? "answered" : "open"])
            }
            // Ann: a disputed charge answered in 20 minutes, resolved in 3 hours; she came back the next day.
            try add(1, customer: 1, "billing.dispute", "phone", created: at(7, 10, 0), response: at(7, 10, 20), resolved: at(7, 13, 0),
                    csat: 5, selfService: true, assignee: alice)
            try work(1, alice, at(7, 10, 20), seconds: 600)
            try work(1, bob, at(7, 12, 0), seconds: 300)
            // The repeat: first response after an hour, resolved three business days later; bob's interval was
            // left open and counts up to the resolution (20 minutes).
            try add(2, customer: 1, "billing.dispute", "email", created: at(8, 10, 0), response: at(8, 11, 0), resolved: at(11, 10, 0),
                    csat: 2, assignee: bob)
            try work(2, bob, at(11, 9, 40), seconds: nil)
            // Ben: created Friday 16:30, answered Monday 09:40 (70 business minutes), resolved after the week.
            try add(3, customer: 2, "device.setup", "chat", created: at(11, 16, 30), response: at(14, 9, 40), resolved: at(14, 10, 0),
                    csat: 4, assignee: bob)
            try work(3, bob, at(14, 9, 40), seconds: 1200)
            // Cat: a Saturday web case nobody has answered; a disputed charge fixed at once with no work recorded.
            try add(4, customer: 3, "billing", "web", created: at(12, 11, 0), selfService: true)
            try add(7, customer: 3, "billing.dispute", "phone", created: at(9, 9, 0), response: at(9, 9, 10), resolved: at(9, 9, 30),
                    csat: 4, assignee: alice)
            // Dev: no call type, Sunday night.
            try add(5, customer: 4, nil, "phone", created: at(13, 23, 30))
            // Before the week: Ben again, with a flag.
            try add(6, customer: 2, "device.setup", "phone", created: at(6, 12, 0), response: at(6, 12, 5), resolved: at(6, 13, 0),
                    csat: 1, assignee: alice)
            try work(6, alice, at(6, 12, 5), seconds: 900)
            // Today: a billing case 10 minutes old, inside both targets.
            try add(8, customer: 4, "billing", "phone", created: at(16, 11, 50))

            try flag(1, alice, at(7, 11, 0), "Refunds only to the original card")
            try flag(2, bob, at(8, 12, 0), "  refunds ONLY to the   original card ")
            try flag(4, alice, at(12, 12, 0), "Refunds only to the original card", answered: true)
            try flag(3, bob, at(11, 17, 0), "Proof of purchase required")
            try flag(6, alice, at(6, 12, 30), "Refunds only to the original card")
        }
        return Week(store: store, dir: (path as NSString).deletingLastPathComponent, alice: alice, bob: bob)
    }

    static func theWeek(_ s: CaseStore) throws -> ReportPeriod { try s.reportPeriod(from: "2025-07-07", to: "2025-07-13") }

    // MARK: period

    @Test func periodParsing() throws {
        let utc = TimeZone(identifier: "UTC")!
        let p = try ReportPeriod.parse(from: "2025-07-07", to: "2025-07-13", now: Self.now, timeZone: utc)
        #expect(p.from == Self.at(7, 0, 0) && p.to == Self.at(14, 0, 0))
        #expect(p.firstDay == "2025-07-07" && p.lastDay == "2025-07-13")
        let d = try ReportPeriod.parse(from: nil, to: nil, now: Self.now, timeZone: utc)
        #expect(d.firstDay == "2025-06-19" && d.lastDay == "2025-07-16", "the last 28 days, today included")
        #expect(d.to.timeIntervalSince(d.from) == 28 * 86400)
        let london = try ReportPeriod.parse(from: "2025-07-07", to: "2025-07-07", now: Self.now, timeZone: TimeZone(identifier: "Europe/London")!)
        #expect(london.from == Self.at(6, 23, 0), "midnight in the business-hours zone (BST)")
        for bad in ["2025-13-01", "2025-02-30", "7/7/2025", "2025-7-7", "", "yesterday"] {
            #expect(throws: CaseError.self) { try ReportPeriod.parse(from: bad, to: nil, now: Self.now, timeZone: utc) }
        }
        #expect(throws: CaseError.invalid("--from 2025-07-10 is after --to 2025-07-01; the period would be empty")) {
            try ReportPeriod.parse(from: "2025-07-10", to: "2025-07-01", now: Self.now, timeZone: utc)
        }
    }

    // MARK: each report, exact

    @Test func aht() throws {
        let w = try Self.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let r = try w.store.ahtReport(try Self.theWeek(w.store))
        #expect(r.overall.cases == 2)
        #expect(r.overall.averageSeconds == 1050)
        #expect(r.overall.p50Seconds == 900 && r.overall.p90Seconds == 1200)
        #expect(r.resolvedWithoutWork == 1)
        #expect(r.byCallType.map(\.key) == ["billing.dispute"])
        #expect(r.byAgent.map(\.key) == ["alice", "bob"])
        #expect(r.byAgent[0].cases == 1 && r.byAgent[0].averageSeconds == 600)
        #expect(r.byAgent[1].cases == 2 && r.byAgent[1].averageSeconds == 750)
        #expect(r.byAgent[1].p50Seconds == 300 && r.byAgent[1].p90Seconds == 1200)
    }

    @Test func fcr() throws {
        let w = try Self.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let r = try w.store.fcrReport(try Self.theWeek(w.store))
        #expect(r.windowDays == 7)
        #expect(r.overall.resolved == 3 && r.overall.firstContact == 2 && r.overall.repeated == 1)
        var dispute = FCRRow(callType: "billing.dispute", resolved: 3, firstContact: 2, repeated: 1, rate: 2.0 / 3.0)
        dispute.repeatCases = 1   // Ann's second case
        #expect(r.byCallType == [dispute])
        #expect(r.windowStillOpen == 1, "case 2 was resolved on the 11th: its 7 days run past now")
        // Ann's repeat came 21 hours after case 1 was resolved: even a one-day window catches it.
        let short = try w.store.fcrReport(try Self.theWeek(w.store), windowDays: 1)
        #expect(short.overall.repeated == 1)
        #expect(throws: CaseError.self) { try w.store.fcrReport(try Self.theWeek(w.store), windowDays: 0) }
    }

    @Test func sla() throws {
        let w = try Self.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let r = try w.store.slaReport(try Self.theWeek(w.store))
        #expect(r.withoutCallType == 1)
        #expect(r.byCallType.map(\.callType) == ["billing", "billing.dispute", "device.setup"])
        let billing = r.byCallType[0], dispute = r.byCallType[1], setup = r.byCallType[2]
        // Saturday's case: 19 business hours have passed since, past both targets.
        #expect(billing.cases == 1 && billing.firstResponseBreached == 1 && billing.resolutionBreached == 1)
        #expect(billing.firstResponseAttainment == 0 && billing.firstResponseTargetMinutes == 60)
        #expect(dispute.cases == 3 && dispute.firstResponseMet == 2 && dispute.firstResponseBreached == 1)
        #expect(dispute.resolutionMet == 2 && dispute.resolutionBreached == 1 && dispute.resolutionAttainment == 2.0 / 3.0)
        // Friday 16:30 to Monday 09:40 is 70 business minutes: met, though 65 hours on the wall clock.
        #expect(setup.firstResponseMet == 1 && setup.resolutionMet == 1 && setup.firstResponseAttainment == 1)
        #expect(r.overall.cases == 5 && r.overall.firstResponseMet == 3 && r.overall.firstResponseBreached == 2)
        #expect(r.overall.resolutionMet == 3 && r.overall.resolutionBreached == 2 && r.overall.firstResponsePending == 0)

        let today = try w.store.slaReport(try w.store.reportPeriod(from: "2025-07-16", to: "2025-07-16"))
        #expect(today.overall.cases == 1 && today.overall.firstResponsePending == 1 && today.overall.resolutionPending == 1)
        #expect(today.overall.firstResponseAttainment == nil, "nothing decided yet")
    }

    @Test func csat() throws {
        let w = try Self.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let r = try w.store.csatReport(try Self.theWeek(w.store))
        #expect(r.overall.responses == 3 && r.overall.average == 11.0 / 3.0)
        #expect(r.overall.distribution == [0, 1, 0, 1, 1])
        #expect(r.byCallType.map(\.key) == ["billing.dispute"])
        #expect(r.byAgent.map(\.key) == ["alice", "bob"])
        #expect(r.byAgent[0].average == 4.5 && r.byAgent[1].average == 2)
        // Cases 1, 7 and 2 were resolved in the week and all three answered.
        #expect(r.weekly == [CSATWeek(weekStarting: "2025-07-07", responses: 3, average: 11.0 / 3.0, resolved: 3, responseRate: 1)])
        let two = try w.store.csatReport(try w.store.reportPeriod(from: "2025-07-06", to: "2025-07-16"))
        #expect(two.weekly.map(\.weekStarting) == ["2025-06-30", "2025-07-07", "2025-07-14"])
        #expect(two.weekly.map(\.responses) == [1, 3, 1])
    }

    @Test func volume() throws {
        let w = try Self.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let r = try w.store.volumeReport(try Self.theWeek(w.store))
        #expect(r.total == 6 && r.selfServiceAttempted == 2 && r.selfServiceShare == 2.0 / 6.0)
        #expect(r.byCallType.map(\.key) == ["billing.dispute", "(none)", "billing", "device.setup"])
        #expect(r.byCallType[0] == VolumeRow(key: "billing.dispute", cases: 3, share: 0.5, selfServiceAttempted: 1, selfServiceShare: 1.0 / 3.0))
        #expect(r.byCallType[2].selfServiceAttempted == 1 && r.byCallType[2].selfServiceShare == 1)
        #expect(r.byChannel.map(\.key) == ["phone", "chat", "email", "web"])
        #expect(r.byChannel.map(\.cases) == [3, 1, 1, 1])
    }

    @Test func arrivals() throws {
        let w = try Self.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let r = try w.store.arrivalsReport(try Self.theWeek(w.store))
        #expect(r.total == 6)
        var expected = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        expected[0][10] = 1; expected[1][10] = 1; expected[2][9] = 1; expected[4][16] = 1; expected[5][11] = 1; expected[6][23] = 1
        #expect(r.counts == expected)
        #expect(r.byWeekday == [1, 1, 1, 0, 1, 1, 1])
        #expect(r.byHour[10] == 2)

        // The same cases seen from New York: Sunday 23:30 UTC is Sunday 19:30 there.
        var pack = Fixtures.pack
        pack.businessHours = BusinessHours(timeZone: "America/New_York", days: Self.weekdayHours.days)
        try w.store.install(pack)
        let ny = try w.store.arrivalsReport(try w.store.reportPeriod(from: "2025-07-06", to: "2025-07-14"))
        #expect(ny.counts[6][19] == 1 && ny.counts[0][6] == 1)
    }

    @Test func flags() throws {
        let w = try Self.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let r = try w.store.flagsReport(try Self.theWeek(w.store))
        #expect(r.total == 4)
        #expect(r.groups.count == 2)
        let refunds = r.groups[0]
        #expect(refunds == FlagGroup(rule: "Refunds only to the original card", count: 3, open: 2, answered: 1,
                                     firstSeen: Self.at(7, 11, 0), lastSeen: Self.at(12, 12, 0),
                                     callTypes: ["billing", "billing.dispute"], agents: 2, cases: 3))
        #expect(r.groups[1].rule == "Proof of purchase required" && r.groups[1].count == 1 && r.groups[1].callTypes == ["device.setup"])
    }

    @Test func staffing() throws {
        let w = try Self.week()
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let r = try w.store.staffingReport(try Self.theWeek(w.store))
        #expect(r.ahtSeconds == 1050 && r.ahtSource == "measured")
        // Six weekday-hours saw arrivals; Saturday 11:00 and Sunday 23:00 are closed (Mon–Fri 09–17):
        // those two arrivals are counted, not staffed.
        #expect(r.rows.count == 4 && r.closedHourArrivals == 2)
        #expect(r.rows.allSatisfy { $0.weekday <= 5 && (9..<17).contains($0.hour) })
        let monday = try #require(r.rows.first)
        #expect(monday.day == "Mon" && monday.hour == 10 && monday.arrivalsPerHour == 1)
        #expect(abs(monday.offeredErlangs - 1050.0 / 3600) < 1e-12)
        // One agent answers 71% within 20 s (short of 80%); two answer 96%.
        #expect(monday.agents == 2)
        #expect(abs(monday.probabilityOfWait - 0.0371212121) < 1e-9)
        #expect(monday.serviceLevel > 0.8)
        // 30% shrinkage (the default): 2 ÷ 0.7 = 2.86, so 3 scheduled.
        #expect(monday.scheduled == 3 && r.shrinkage == 0.3)
        // Over two weeks each weekday occurs twice: half the rate.
        let fortnight = try w.store.staffingReport(try w.store.reportPeriod(from: "2025-07-07", to: "2025-07-20"), ahtSeconds: 180)
        #expect(fortnight.rows.first?.arrivalsPerHour == 0.5 && fortnight.ahtSource == "given")
        #expect(throws: CaseError.self) { try w.store.staffingReport(try Self.theWeek(w.store), target: 1) }
    }

    // MARK: Erlang C

    @Test func erlangCReference() {
        // λ = 2 per minute, AHT 3 minutes: A = 6 Erlangs. Reference values from the closed form
        // (A^N/N!·N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N!·N/(N−A)), computed independently:
        // N = 8 → 0.356981, N = 9 → 0.195981, N = 10 → 0.101299; Erlang B(8, 6) = 0.121876.
        #expect(abs(ErlangC.erlangB(servers: 8, traffic: 6) - 0.1218757837) < 1e-9)
        #expect(abs(ErlangC.probabilityOfWait(agents: 8, traffic: 6) - 0.3569810859) < 1e-9)
        #expect(abs(ErlangC.probabilityOfWait(agents: 9, traffic: 6) - 0.1959809127) < 1e-9)
        #expect(abs(ErlangC.probabilityOfWait(agents: 10, traffic: 6) - 0.1012992427) < 1e-9)
        // Service level within 20 s with 8 agents: 1 − C·e^(−(N−A)·t/AHT) = 0.714152; ASA = C·AHT/(N−A) = 32.13 s.
        #expect(abs(ErlangC.serviceLevel(agents: 8, traffic: 6, ahtSeconds: 180, within: 20) - 0.7141518924) < 1e-9)
        #expect(abs(ErlangC.averageSpeedOfAnswer(agents: 8, traffic: 6, ahtSeconds: 180) - 32.1282977291) < 1e-7)
        // 8 agents give 71.4%, 9 give 86.0%: 80% in 20 s needs 9.
        #expect(ErlangC.agentsNeeded(traffic: 6, ahtSeconds: 180, target: 0.8, within: 20) == 9)
        // Unstable and empty queues.
        #expect(ErlangC.probabilityOfWait(agents: 6, traffic: 6) == 1)
        #expect(ErlangC.probabilityOfWait(agents: 3, traffic: 0) == 0)
        #expect(ErlangC.agentsNeeded(traffic: 0, ahtSeconds: 180, target: 0.8, within: 20) == 0)
        // A large centre: A^N and N! overflow a Double long before N = 1000; the recurrence does not.
        let n = ErlangC.agentsNeeded(traffic: 1000, ahtSeconds: 300, target: 0.9, within: 15)
        #expect(n > 1000 && n < 1100)
        let c = ErlangC.probabilityOfWait(agents: n, traffic: 1000)
        #expect(c > 0 && c < 1 && c.isFinite)
        #expect(ErlangC.serviceLevel(agents: n, traffic: 1000, ahtSeconds: 300, within: 15) >= 0.9)
        #expect(ErlangC.serviceLevel(agents: n - 1, traffic: 1000, ahtSeconds: 300, within: 15) < 0.9)
    }

    // MARK: empty and demo

    @Test func emptyDatabase() throws {
        let (store, path) = try Fixtures.store(now: { Self.now })
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let p = try store.reportPeriod(from: nil, to: nil)
        let aht = try store.ahtReport(p)
        #expect(aht.overall.cases == 0 && aht.overall.averageSeconds == nil && aht.byAgent.isEmpty)
        let fcr = try store.fcrReport(p)
        #expect(fcr.overall.resolved == 0 && fcr.overall.rate == nil && fcr.byCallType.isEmpty)
        let sla = try store.slaReport(p)
        #expect(sla.overall.cases == 0 && sla.overall.firstResponseAttainment == nil)
        let csat = try store.csatReport(p)
        #expect(csat.overall.average == nil && csat.weekly.allSatisfy { $0.responses == 0 } && csat.weekly.count == 5)
        let volume = try store.volumeReport(p)
        #expect(volume.total == 0 && volume.selfServiceShare == nil && volume.byChannel.isEmpty)
        #expect(try store.arrivalsReport(p).total == 0)
        #expect(try store.flagsReport(p).groups.isEmpty)
        let staffing = try store.staffingReport(p)
        #expect(staffing.ahtSeconds == nil && staffing.rows.isEmpty)
    }

    @Test func demoDatabase() throws {
        let (store, _, dir) = try DemoDataTests.populated()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try store.reportPeriod(from: nil, to: nil)
        #expect(p.timeZone == "Europe/London")
        let aht = try store.ahtReport(p)
        #expect(aht.overall.cases > 100 && (120...3600).contains(aht.overall.averageSeconds ?? 0))
        #expect(aht.overall.p50Seconds! <= aht.overall.p90Seconds!)
        #expect(aht.byAgent.count >= 8 && aht.byCallType.count > 5)
        let fcr = try store.fcrReport(p)
        #expect(fcr.overall.resolved > 100 && (0.3...0.99).contains(fcr.overall.rate ?? 0))
        let sla = try store.slaReport(p)
        #expect(sla.overall.cases > 100 && sla.overall.firstResponseAttainment != nil && sla.overall.resolutionAttainment != nil)
        let csat = try store.csatReport(p)
        #expect(csat.overall.responses > 50 && csat.overall.average! > 3 && csat.weekly.count >= 4)
        let volume = try store.volumeReport(p)
        #expect(volume.total > 500 && volume.selfServiceAttempted > 0 && volume.byChannel.count == 8)
        #expect(volume.byCallType.reduce(0) { $0 + $1.cases } == volume.total)
        let arrivals = try store.arrivalsReport(p)
        #expect(arrivals.total == volume.total)
        #expect(arrivals.byHour[3] < arrivals.byHour[10], "more arrive mid-morning than at 3 a.m.")
        let flags = try store.flagsReport(p)
        #expect(!flags.groups.isEmpty && flags.groups.reduce(0) { $0 + $1.count } == flags.total)
        let staffing = try store.staffingReport(p)
        #expect(!staffing.rows.isEmpty && staffing.rows.allSatisfy { $0.serviceLevel >= 0.8 && $0.agents >= 1 })
    }
}
