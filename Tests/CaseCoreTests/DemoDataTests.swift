import Foundation
import GRDB
import Testing
@testable import CaseCore

/// The demo database: who is in it, how much, and that it comes out the same every time.
@Suite struct DemoDataTests {
    /// A fixed Wednesday mid-morning (UTC), so every run sees the same eight weeks.
    static let now = Date(timeIntervalSince1970: 1_752_660_000)   // 2025-07-16 10:00 UTC

    static func pack() throws -> ContentPack {
        let dir = try #require(PackLocator.defaultPackDirectory(), "the content pack (Resources/pack) was not found")
        return try PackLoader.load(directory: dir)
    }

    static func populated(seed: UInt64 = 42) throws -> (CaseStore, DemoData.Summary, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("demo.sqlite").path
        let store = try CaseStore(path: path, create: true, now: { now })
        let summary = try DemoData.populate(store, pack: try pack(), seed: seed, now: now)
        return (store, summary, dir.path)
    }

    @Test func peopleAndCustomers() throws {
        let (store, summary, dir) = try Self.populated()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let agents = try store.users(role: .agent)
        #expect(agents.count >= 8)
        #expect(agents.contains { $0.login == "alice" } && agents.contains { $0.login == "bob" })
        #expect(agents.contains { !$0.skills.isEmpty } && agents.contains { $0.skills.isEmpty })
        #expect(try store.user(login: "dana").role == .lead)
        #expect(try store.user(login: "tess").role == .trainer)
        #expect(try store.user(login: "ed").role == .expert)
        #expect(try store.users(role: .lead).count == 2)
        #expect(try store.users(role: .expert).count == 2)
        #expect(try store.users(role: .admin).count == 1)
        #expect(summary.agents == agents.count)

        #expect(summary.customers >= 300)
        let names = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM customers") }
        #expect(names.count == summary.customers)
        #expect(names.contains("李娜") && names.contains("田中 翔"))
        #expect(names.contains("فاطمة الزهراء") && names.contains("María Núñez"))
        #expect(names.contains { $0.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } }, "a Cyrillic name")
        #expect(names.contains { $0.unicodeScalars.contains { (0x0900...0x097F).contains($0.value) } }, "a Devanagari name")
        let missingContact = try store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE email IS NULL OR phone IS NULL OR account IS NULL") ?? -1
        }
        #expect(missingContact == 0)
    }

    @Test func casesTimelinesAndQueue() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let (store, summary, dir) = try Self.populated()
        print("demo: \(summary) in \(clock.now - started)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(summary.cases >= 2000)
        #expect((150...600).contains(summary.openCases), "a few hundred open, not \(summary.openCases)")
        #expect(summary.unassignedOpen >= 50)
        #expect(summary.ruleFlags > 0 && summary.consults > 0)

        try store.pool.read { db in
            let channels = try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM cases ORDER BY channel")
            #expect(channels == Channel.allCases.map(\.rawValue).sorted())
            let span = try Row.fetchOne(db, sql: "SELECT min(created_at) AS a, max(created_at) AS b FROM cases")!
            #expect((span["a"] as Double) >= Self.now.timeIntervalSince1970 - 57 * 86400)
            #expect((span["b"] as Double) <= Self.now.timeIntervalSince1970)
            // Every event kind written is one the model knows.
            let kinds = try String.fetchAll(db, sql: "SELECT DISTINCT kind FROM events")
            #expect(kinds.allSatisfy { CaseEvent.Kind(rawValue: $0) != nil }, "unknown kinds: \(kinds)")
            for kind in ["created", "assign", "step", "response", "resolve", "csat", "note", "status"] {
                #expect(kinds.contains(kind), "no \(kind) events")
            }
            let resolvedWithout = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM cases WHERE status = 'resolved'
                  AND (resolution_code IS NULL OR resolved_at IS NULL OR first_response_at IS NULL)
                """)
            #expect(resolvedWithout == 0)
            let withWork = try Int.fetchOne(db, sql: "SELECT count(DISTINCT case_id) FROM work_intervals") ?? 0
            #expect(withWork > summary.resolvedCases / 2)
            let future = try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE at > ?", arguments: [Self.now.timeIntervalSince1970])
            #expect(future == 0, "nothing happens after now")
            let csat = try Double.fetchOne(db, sql: "SELECT avg(csat) FROM cases WHERE csat IS NOT NULL") ?? 0
            #expect(csat > 3.5, "CSAT skews positive")
        }

        // alice's queue: about ten open, a couple at risk.
        let alice = try store.user(login: "alice")
        let (open, risk) = try store.queueCounts(.assignee(alice.id), riskBefore: Self.now.addingTimeInterval(3600))
        #expect((8...12).contains(open), "alice has \(open) open")
        #expect(risk >= 1)

        // A timeline reads back through the public API with its script progress.
        let resolved = try #require(store.listCases(status: .resolved, limit: 1).first)
        let detail = try store.detail(resolved.id)
        #expect(detail.events.first?.kind == .created)
        #expect(detail.events.contains { $0.kind == .resolve })

        let taken = try store.takeNext(as: "bob")
        #expect(taken.assignee == "bob")
        #expect(taken.status == .open)
    }

    /// "The demo tells the truth": its eight weeks cross a day the centre was closed, and
    /// nobody phoned or chatted in on it.
    @Test func theDemoCrossesAHolidayWithNoLiveContactsOnIt() throws {
        let (store, _, dir) = try Self.populated()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hours = try store.currentPack().businessHours
        let holiday = try #require(hours.dated.first { $0.name == "Company training day" })
        #expect(holiday.isHoliday)
        let calendar = BusinessCalendar(hours)
        let expected = DemoData.companyDay(try Self.pack().businessHours, now: Self.now)
        #expect(holiday.date == expected.date)
        let start = try #require(calendar.calendar.date(from: DateComponents(
            year: Int(holiday.date.prefix(4)), month: Int(holiday.date.dropFirst(5).prefix(2)), day: Int(holiday.date.suffix(2)))))
        #expect(Self.now.timeIntervalSince(start) > 14 * 86_400 && Self.now.timeIntervalSince(start) < 56 * 86_400)
        let (live, written) = try store.read { db -> (Int, Int) in
            let range: [DatabaseValueConvertible] = [start.timeIntervalSince1970, start.timeIntervalSince1970 + 86_400]
            return (try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE channel IN ('phone','ivr','retail','chat') AND created_at >= ? AND created_at < ?", arguments: StatementArguments(range)) ?? -1,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM cases WHERE created_at >= ? AND created_at < ?", arguments: StatementArguments(range)) ?? -1)
        }
        #expect(live == 0 && written > 0)
    }

    @Test func deterministic() throws {
        let (a, sa, da) = try Self.populated()
        defer { try? FileManager.default.removeItem(atPath: da) }
        let (b, sb, db) = try Self.populated()
        defer { try? FileManager.default.removeItem(atPath: db) }
        #expect(sa == sb)
        let first = { (s: CaseStore) in try s.listCases(limit: 1, ascending: true).first?.subject }
        #expect(try first(a) == first(b))
        let digest = { (s: CaseStore) in
            try s.pool.read { db in
                try String.fetchOne(db, sql: """
                    SELECT group_concat(x, '|') FROM (SELECT id || ':' || status || ':' || coalesce(assignee_id, '-') || ':' || subject AS x
                    FROM cases ORDER BY id)
                    """)
            }
        }
        #expect(try digest(a) == digest(b))
        let (_, other, dc) = try Self.populated(seed: 7)
        defer { try? FileManager.default.removeItem(atPath: dc) }
        #expect(other != sa, "another seed, another centre")
    }
}
