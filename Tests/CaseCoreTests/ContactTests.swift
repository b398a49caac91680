import Foundation
import GRDB
import Testing
@testable import CaseCore

/// Customers, search and follow-ups: matching rules, the search index kept in step with
/// every kind of write, reopening on contact, follow-ups coming back, retyping.
@Suite struct ContactTests {
    func searchIds(_ store: CaseStore, _ text: String, status: [CaseStatus]? = nil) throws -> [Int64] {
        try store.search(text, status: status).hits.map(\.id)
    }

    @Test func customerLookupIgnoresAccentsAndCaseAndPhoneFormatting() throws {
        let (store, _) = try Fixtures.store()
        let anna = try store.createCustomer(NewCustomer(name: "Anna Müller", email: "anna@example.de", phone: "+44 20 7946 0018", account: "AC-1234567"))
        let other = try store.createCustomer(NewCustomer(name: "Zoë Lefèvre", phone: "+33 6 74 08 46 40"))
        #expect(try store.findCustomers("muller").map(\.id) == [anna.id])
        #expect(try store.findCustomers("MÜLL").map(\.id) == [anna.id])
        #expect(try store.findCustomers("zoe lef").map(\.id) == [other.id])
        #expect(try store.findCustomers("020 7946 0018").map(\.id) == [anna.id])
        #expect(try store.findCustomers("+44 20 79").map(\.id) == [anna.id])
        #expect(try store.findCustomers("(020) 7946-00").map(\.id) == [anna.id])
        #expect(try store.findCustomers("anna@exa").map(\.id) == [anna.id])
        #expect(try store.findCustomers("ac-12345").map(\.id) == [anna.id])
        #expect(try store.findCustomers("  ").isEmpty)
        #expect(try store.findCustomers("\"*)(").isEmpty)
        // One number written two ways is one customer.
        #expect(throws: CaseError.alreadyExists("customer #\(anna.id) with that phone number")) {
            try store.createCustomer(NewCustomer(name: "A. Müller", phone: "020 7946 0018"))
        }
        #expect(throws: CaseError.invalid("'12' is not a phone number (at least 6 digits)")) {
            try store.createCustomer(NewCustomer(name: "X", phone: "12"))
        }
    }

    @Test func chineseAndJapaneseNamesAreFoundByTwoCharacters() throws {
        let (store, _) = try Fixtures.store()
        let zhang = try store.createCustomer(NewCustomer(name: "张建华", email: "jianhua@example.cn"))
        let tanaka = try store.createCustomer(NewCustomer(name: "田中 翔"))
        #expect(try store.findCustomers("张建").map(\.id) == [zhang.id])
        #expect(try store.findCustomers("建华").map(\.id) == [zhang.id])
        #expect(try store.findCustomers("田中").map(\.id) == [tanaka.id])
        var new = Fixtures.newCase("注文が届きません", callType: nil, customer: "")
        new.customerId = tanaka.id
        let id = try store.createCase(new, by: nil)
        let other = try store.createCase(Fixtures.newCase("我是李娜，我的订单还没到", customer: "李娜"), by: nil)
        #expect(try searchIds(store, "田中") == [id])
        #expect(try searchIds(store, "李娜") == [other])
        #expect(try searchIds(store, "订单") == [other])
        let hit = try #require(try store.search("订单").hits.first)
        #expect(SearchResults.plain(hit.snippet).contains("我的订单还没到"))
    }

    @Test func aNameAloneNoLongerPicksAnExistingCustomer() throws {
        let (store, _) = try Fixtures.store()
        let first = try store.createCasesReporting([NewCase(customer: "Ana Silva", customerEmail: "ana@example.com", channel: .phone,
                                                            callType: nil, subject: "One")], by: nil)[0]
        #expect(first.customer == .created)
        let sameName = try store.createCasesReporting([NewCase(customer: "Ana Silva", channel: .phone, callType: nil, subject: "Two")], by: nil)[0]
        #expect(sameName.customer == .created && sameName.customerId != first.customerId)
        let byEmail = try store.createCasesReporting([NewCase(customer: "A. Silva", customerEmail: "ANA@example.com", channel: .email,
                                                              callType: nil, subject: "Three")], by: nil)[0]
        #expect(byEmail.customer == .existing(by: "email") && byEmail.customerId == first.customerId)
        var byId = NewCase(customer: "", channel: .chat, callType: nil, subject: "Four")
        byId.customerId = sameName.customerId
        #expect(try store.createCasesReporting([byId], by: nil)[0].customerId == sameName.customerId)
        byId.customerId = 999
        #expect(throws: CaseError.invalid("no customer #999 (casedesk customer find TEXT looks one up)")) { try store.createCase(byId, by: nil) }
        #expect(try store.otherOpenCases(of: byEmail.id) == 1)
        let history = try store.customerHistory(first.customerId)
        #expect(history.cases.map(\.id) == [byEmail.id, first.id])
    }

    @Test func theIndexFollowsEveryKindOfWrite() throws {
        let (store, path) = try Fixtures.store()
        let id = try store.createCase(NewCase(customer: "Ola Nordmann", channel: .email, callType: "billing.dispute",
                                              subject: "Invoice question", body: "Order 48213 arrived broken"), by: "alice")
        #expect(try searchIds(store, "48213") == [id])
        #expect(try searchIds(store, "nordmann") == [id])
        try store.addNote(id, text: "spoke to the warehouse", by: "alice")
        #expect(try searchIds(store, "warehouse") == [id])
        try store.sendResponse(id, text: "We will send a courier", by: "alice")
        #expect(try searchIds(store, "courier") == [id])
        try store.recordContact(id, text: "The courier never came", channel: .phone, by: "alice")
        #expect(try searchIds(store, "never came") == [id])
        // Import.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID()).jsonl").path
        try #"{"customer":"Ngozi Eze","channel":"web","subject":"Parcel tracking","body":"tracking number ZX-99812 is wrong"}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try store.createCases(try CaseImport.parse(file: file, callTypes: []).cases, by: nil)
        #expect(try searchIds(store, "ZX 99812") == imported)
        // Bulk load: every loaded case is searchable, in the same batches.
        try BulkLoad.loadCases(store, count: 300, seed: 7)
        let counts = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM cases")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM case_search")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM customers")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM customer_search")!)
        }
        #expect(counts.0 == counts.1 && counts.2 == counts.3)
        // A case gone (erasure) leaves nothing behind once refreshed.
        try store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER events_refuse_delete")
            // Mail queued for its responses goes first (an email case's response is in the outbox).
            try db.execute(sql: "DELETE FROM outbox WHERE case_id = ?; DELETE FROM channel_messages WHERE case_id = ?",
                           arguments: [id, id])
            try db.execute(sql: "DELETE FROM events WHERE case_id = ?; DELETE FROM cases WHERE id = ?", arguments: [id, id])
            try SearchIndex.refresh(caseId: id, in: db)
        }
        #expect(try searchIds(store, "warehouse").isEmpty)
        // The migration builds the index once for an existing database.
        try store.pool.write { db in try db.execute(sql: "DELETE FROM case_search") }
        try store.pool.write { db in try SearchIndex.rebuild(in: db) }
        #expect(try searchIds(store, "ZX 99812") == imported)
        _ = path
    }

    @Test func anOlderDatabaseGainsTheIndexByMigration() throws {
        let (store, path) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase("Wrong colour delivered"), by: nil)
        // Back to the schema before the index, as an older casedesk left it.
        try store.pool.write { db in
            try db.execute(sql: """
                DROP TABLE case_search; DROP TABLE customer_search; DROP INDEX customers_by_email_nocase;
                DROP INDEX customers_by_account_nocase; DROP INDEX cases_follow_up;
                ALTER TABLE cases DROP COLUMN follow_up_at; ALTER TABLE cases DROP COLUMN priority_manual;
                DELETE FROM grdb_migrations WHERE identifier = 'v10-contact-search'; PRAGMA user_version = 9;
                """)
        }
        let reopened = try CaseStore(path: path)
        #expect(try searchIds(reopened, "colour") == [id])
    }

    @Test func aContactReopensAndAPendingCaseComesBack() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_764_000_000))
        let (store, _) = try Fixtures.store(now: { clock.now })
        let id = try store.createCase(Fixtures.newCase(), by: "alice")
        _ = try store.takeNext(as: "alice")
        let alice = try store.user(login: "alice")
        #expect(throws: CaseError.self) { try store.setPending(id, until: clock.now.addingTimeInterval(-60), by: "alice") }
        try store.setPending(id, until: clock.now.addingTimeInterval(3600), by: "alice")
        #expect(try store.record(id).status == .pending)
        #expect(try store.followUpsDue(assigneeId: alice.id, at: clock.now).isEmpty)
        clock.advance(3601)
        #expect(try store.followUpsDue(assigneeId: alice.id, at: clock.now).map(\.id) == [id])
        try store.recordContact(id, text: "I found the receipt", channel: .email, by: "alice")
        var record = try store.record(id)
        #expect(record.status == .open && record.followUpAt == nil)
        #expect(try store.followUpsDue(assigneeId: alice.id, at: clock.now).isEmpty)
        try store.resolve(id, code: "fixed", by: "alice")
        try store.recordContact(id, text: "It happened again", channel: .phone, by: "bob")
        record = try store.record(id)
        #expect(record.status == .open && record.resolvedAt == nil && record.resolutionCode == nil)
        let events = try store.detail(id).events
        #expect(events.contains { $0.kind == .message && $0.body == "It happened again" && $0.channel == "phone" })
        #expect(events.last?.kind == .status && events.last?.oldValue == "resolved" && events.last?.newValue == "open")
        #expect(throws: CaseError.invalid("a contact needs what the customer said")) {
            try store.recordContact(id, text: "  ", channel: .phone, by: "alice")
        }
    }

    @Test func retypingRecomputesPriorityAndDueAcrossAWeekend() throws {
        // Friday 2026-11-20 16:00 UTC; open 09:00–17:00 Monday to Friday.
        let created = Date(timeIntervalSince1970: 1_795_190_400)
        let clock = TestClock(created)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-retype-\(UUID()).sqlite").path
        let store = try CaseStore(path: path, create: true, now: { clock.now })
        try store.addUser(login: "alice", name: "Alice Martin", role: .agent)
        var pack = Fixtures.pack
        pack.businessHours = BusinessHours(timeZone: "UTC", days: Dictionary(uniqueKeysWithValues: (1...5).map {
            ($0, BusinessHours.Span(openMinute: 9 * 60, closeMinute: 17 * 60)) }))
        pack.callTypes.append(CallType(code: "billing.fraud", name: "Fraud", defaultPriority: .p1, firstResponseMinutes: 15, resolutionMinutes: 240))
        try store.install(pack)
        let id = try store.createCase(Fixtures.newCase("Strange login", callType: nil), by: "alice")
        #expect(try store.record(id).priority == .p3)
        clock.advance(1800)
        try store.setCallType(id, to: "billing.fraud", by: "alice")
        let r = try store.record(id)
        // 1 business hour on Friday, the other 3 on Monday from 09:00: Monday 12:00.
        #expect(r.priority == .p1)
        #expect(ISOTime().string(from: r.dueAt) == "2026-11-23T12:00:00Z")
        let events = try store.detail(id).events
        #expect(events.contains { $0.kind == .priority && $0.field == "priority" && $0.oldValue == "P3" && $0.newValue == "P1" })
        #expect(events.contains { $0.kind == .priority && $0.field == "due" && $0.newValue == "2026-11-23T12:00:00Z" })
        // A priority set by hand with a reason stays through a retype.
        try store.setPriority(id, to: .p2, reason: "customer confirmed the card is blocked", by: "alice")
        try store.setCallType(id, to: "billing.dispute", by: "alice")
        #expect(try store.record(id).priority == .p2)
        #expect(throws: CaseError.invalid("say why the priority changes: the reason goes on the timeline")) { try store.setPriority(id, to: .p1, reason: " ", by: "alice") }
    }

    @Test func moveToAnotherTeamAndRefuseHalfFilledResponses() throws {
        let (store, _) = try Fixtures.store()
        try store.addTeam("Tier 2")
        let id = try store.createCase(Fixtures.newCase(), by: "alice")
        // Owners and leads move cases (Policy: reassign); alice does not own this one.
        #expect(throws: CaseError.self) { try store.moveToTeam(id, team: "Tier 2", by: "alice") }
        #expect(throws: CaseError.invalid("no team 'Tier 9' (teams: Tier 1, Tier 2)")) { try store.moveToTeam(id, team: "Tier 9", by: "dana") }
        try store.moveToTeam(id, team: "Tier 2", by: "dana")
        #expect(try store.detail(id).events.last.map({ TimelineText.line(for: $0) }) == "moved to team Tier 2 from the shared queue (dana)")
        let text = ResponseFiller.fill(ResponseTemplate(id: "acct", title: "Account", text: "Your account {{customer.account}} is safe"),
                                       detail: try store.detail(id), agent: nil)
        #expect(ResponseFiller.unfilled(text) == ["customer.account"])
        #expect(throws: CaseError.invalid("not sent: case #\(id) has nothing to fill {{customer.account}} with; edit the response first")) {
            try store.sendResponse(id, text: text, by: "alice")
        }
        #expect(try store.detail(id).events.allSatisfy { $0.kind != .response })
    }

    @Test func searchRanksSelectiveQueriesAndWindowsUnselectiveOnes() throws {
        let (store, _) = try Fixtures.store()
        try store.createCases((0..<30).map { Fixtures.newCase("Parcel late \($0)", customer: "C\($0)") }, by: nil)
        let rare = try store.createCase(Fixtures.newCase("Parcel late, wrong colour, colour faded", customer: "Rare"), by: nil)
        let results = try store.search("colour")
        #expect(results.order == .relevance && results.hits.map(\.id) == [rare])
        #expect(try store.search("parcel", limit: 5).hits.count == 5)
        #expect(try store.search(String(rare)).hits.first?.id == rare)
        #expect(throws: CaseError.self) { try store.search("   ") }
        #expect(throws: CaseError.self) { try store.search("\"*") }
        #expect(try store.search("parcel", status: [.resolved]).hits.isEmpty)
    }

    /// Where every match is sampled, the weights are the exact counts, so the order is
    /// FTS5's own bm25 order: the rarer word counts more, a short text beats a long one,
    /// also when purges have left gaps in the case ids.
    @Test func rankingIsBM25WithoutCountingEveryMatch() throws {
        let (store, _) = try Fixtures.store()
        let subjects = (0..<40).map { i in
            ["Parcel late", "Parcel late and the box was open", "Parcel damaged", "Refund for a damaged parcel, parcel crushed",
             "Damaged screen", "Order late", "Late refund, parcel never came, damaged trust"][i % 7] + " \(i)"
        }
        try store.createCases(subjects.map { Fixtures.newCase($0, customer: "C") }, by: nil)
        // Purged cases leave gaps in the ids; N is still the documents there are.
        try store.pool.write { db in try db.execute(sql: "DELETE FROM case_search WHERE rowid BETWEEN 5 AND 25") }
        #expect(try store.pool.read { db in try SearchRank.documentCount(db) } == 19)
        for query in ["parcel damaged", "late", "parcel late refund", "damaged"] {
            let ours = try store.search(query, limit: 100).hits.map(\.id)
            let bm25 = try store.pool.read { db in
                try Int64.fetchAll(db, sql: "SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY bm25(case_search), rowid",
                                   arguments: [SearchText.matchQuery(query)])
            }
            #expect(ours.count == bm25.count && !ours.isEmpty, "\(query)")
            // Same scores: equal up to the order among ties.
            let score = { (ids: [Int64]) in try store.pool.read { db in
                try ids.map { try Double.fetchOne(db, sql: "SELECT bm25(case_search) FROM case_search WHERE case_search MATCH ? AND rowid = ?",
                                                  arguments: [SearchText.matchQuery(query), $0]) ?? 0 } } }
            let (a, b) = (try score(ours), try score(bm25))
            #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-9 }, "\(query): \(a) against \(b)")
            // And the scores themselves are bm25's, row by row.
            let pairs = try store.pool.read { db in
                let weights = try SearchRank.weights(db, phrases: SearchText.phrases(query), from: 0)
                return try Row.fetchAll(db, sql: """
                    SELECT casedesk_rank(case_search, \(weights.map { _ in "?" }.joined(separator: ","))) AS ours, bm25(case_search) AS theirs
                    FROM case_search WHERE case_search MATCH ?
                    """, arguments: StatementArguments(weights + [SearchText.matchQuery(query)!]))
                    .map { ($0["ours"] as Double, $0["theirs"] as Double) }
            }
            #expect(!pairs.isEmpty && pairs.allSatisfy { abs($0.0 - $0.1) < 1e-9 }, "\(query): \(pairs)")
        }
    }

    /// A status filter keeps the ranking: the filtered matches in bm25 order.
    @Test func aStatusFilterKeepsTheRanking() throws {
        let (store, _) = try Fixtures.store()
        let ids = try store.createCases(["Parcel late", "Parcel parcel parcel lost", "Parcel damaged, parcel torn", "Late again"]
            .map { Fixtures.newCase($0, customer: "C") }, by: nil)
        try store.setStatus(ids[0], to: .pending, by: "alice")
        try store.setStatus(ids[1], to: .pending, by: "alice")
        let results = try store.search("parcel", status: [.pending])
        #expect(results.order == .relevance)
        #expect(results.hits.map(\.id) == [ids[1], ids[0]])
        #expect(results.hits.allSatisfy { $0.status == .pending })
    }

    /// More matches than the window: the newest are ranked, by how well they match.
    @Test func anUnselectiveWordIsRankedAmongTheNewestMatches() throws {
        let (store, _) = try Fixtures.store()
        try store.createCases((0..<(CaseStore.rankWindow + 100)).map { Fixtures.newCase("Parcel late, courier says \($0)", customer: "C") }, by: nil)
        let best = try store.createCase(Fixtures.newCase("Parcel parcel parcel", customer: "P"), by: nil)
        try store.createCases((0..<20).map { Fixtures.newCase("Parcel late \($0)", customer: "C") }, by: nil)
        let results = try store.search("parcel", limit: 10)
        #expect(results.order == .relevanceAmongNewest(window: CaseStore.rankWindow))
        #expect(results.hits.first?.id == best)
        #expect(results.hits.count == 10)
    }
}
