import Foundation
import GRDB
import Testing
@testable import CaseCore

/// A customer's data: the subject-access export and erasure, checked as an auditor would —
/// every table's text, the raw bytes of the file and its WAL, and the figures.
@Suite struct PersonalDataTests {
    init() { setenv("CASEDESK_LOG_DIR", NSTemporaryDirectory() + "casedesk-test-logs", 1) }

    static func demo() throws -> (CaseStore, String) {
        let (store, _, dir) = try DemoDataTests.populated()
        try store.addUser(login: "root2", name: "Ria Admin", role: .admin)
        return (store, dir)
    }

    /// The demo customer with the most cases, and their identifiers.
    static func busiest(_ store: CaseStore) throws -> (id: Int64, identifiers: [String]) {
        try store.read { db in
            let row = try #require(try Row.fetchOne(db, sql: """
                SELECT c.id, c.name, c.email, c.phone, c.account FROM customers c JOIN cases k ON k.customer_id = c.id
                WHERE c.email IS NOT NULL AND c.phone IS NOT NULL AND c.account IS NOT NULL
                GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1
                """))
            return (row["id"], ["name", "email", "phone", "account"].compactMap { row[$0] as String? })
        }
    }

    @Test func erasureLeavesNoTraceInAnyTableOrInTheFileAndKeepsTheFigures() throws {
        let (store, dir) = try Self.demo()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (id, identifiers) = try Self.busiest(store)
        #expect(identifiers.count == 4)
        // Plant mentions the scrubber has to find: in a note on their case, in a note on someone
        // else's case, in a case subject, and in a rule flag.
        let own = try store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM cases WHERE customer_id = ? ORDER BY id LIMIT 1", arguments: [id])! }
        let other = try store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM cases WHERE customer_id != ? ORDER BY id LIMIT 1", arguments: [id])! }
        try store.addNote(own, text: "Called \(identifiers[0]) back on \(identifiers[2]); account \(identifiers[3]), mail \(identifiers[1])", by: "dana")
        try store.addNote(other, text: "Same issue as \(identifiers[0]) (\(identifiers[1]))", by: "dana")
        try store.write { db in
            try db.execute(sql: "UPDATE cases SET subject = subject || ' for ' || ? WHERE id = ?", arguments: [identifiers[0], own])
        }
        // Their own words kept elsewhere than a message: a call as logged (no actor), the whole
        // text of a mail they sent, and their mail in quarantine (a BLOB), filed to their case
        // or not filed at all.
        let said = ["the router on the landing blinks amber", "my neighbour Ottoline fixed it once", "quarantined: the dog ate the modem"]
        try store.write { db in
            _ = try CaseStore.append(db, caseId: own, actor: nil, at: DemoDataTests.now, .init(kind: .call, body: said[0], channel: "phone"))
            try db.execute(sql: """
                INSERT INTO channel_messages(channel, external_id, case_id, direction, sender, subject, full_text, at)
                VALUES ('email', '<planted@example.net>', ?, 'in', ?, 'Still broken', ?, 0)
                """, arguments: [own, identifiers[1], "From: \(identifiers[0]) <\(identifiers[1])>\n\n\(said[1])"])
            try db.execute(sql: "INSERT INTO mail_quarantine(at, reason, raw, filed_case_id) VALUES (0, 'no case', ?, ?)",
                           arguments: [Data("From: someone <x@example.net>\n\n\(said[2])".utf8), own])
            try db.execute(sql: "INSERT INTO mail_quarantine(at, reason, raw) VALUES (0, 'unreadable', ?)",
                           arguments: [Data("From: \(identifiers[0]) <\(identifiers[1])>\r\n\r\n\u{0}binary".utf8)])
            try db.execute(sql: "INSERT INTO mail_quarantine(at, reason, raw) VALUES (0, 'unreadable', ?)",
                           arguments: [Data("From: another <another@example.org>\n\nnot theirs".utf8)])
        }
        let period = ReportPeriod(from: DemoDataTests.now.addingTimeInterval(-70 * 86_400), to: DemoDataTests.now.addingTimeInterval(86_400),
                                  timeZone: "UTC", firstDay: "", lastDay: "")
        let before = (try store.ahtReport(period), try store.fcrReport(period), try store.slaReport(period), try store.csatReport(period))

        let report = try store.eraseCustomer(id, reason: "asked by \(identifiers[1]) on the phone", by: "root2")
        #expect(report.traces.isEmpty)
        #expect(report.cases > 3)
        #expect(report.rowsElsewhere >= 1)

        // Every table, every text column (FTS shadow tables included once they exist).
        let leaks = try Genericizer.leaks(in: store.pool, identifiers: identifiers)
        #expect(leaks.isEmpty, "\(leaks)")
        // Everything the customer said on their cases is gone whole, not just scrubbed; their
        // mail in quarantine went, another's stayed.
        let spoken = try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT body FROM events WHERE case_id IN (SELECT id FROM cases WHERE customer_id = ?)
                AND kind IN ('call','message','customer_line','created') AND body IS NOT NULL
                """, arguments: [id])
        }
        #expect(!spoken.isEmpty && spoken.allSatisfy { $0 == "[erased]" }, "\(spoken.filter { $0 != "[erased]" })")
        #expect(try store.read { db in try String.fetchAll(db, sql: "SELECT full_text FROM channel_messages WHERE case_id = ?", arguments: [own]) } == ["[erased]"])
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM mail_quarantine") } == 1)
        // The raw bytes, after a checkpoint: the file and what is left of the WAL.
        _ = try store.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        for file in [store.path, store.path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            for words in said { #expect(bytes.range(of: Data(words.utf8)) == nil, "\(words) in \(file)") }
            for needle in identifiers {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) in \(file)")
                #expect(bytes.range(of: Data(needle.lowercased().utf8)) == nil, "\(needle) in \(file)")
            }
        }
        // The figures for the period are unchanged.
        let after = (try store.ahtReport(period), try store.fcrReport(period), try store.slaReport(period), try store.csatReport(period))
        #expect(before.0 == after.0)
        #expect(before.1 == after.1)
        #expect(before.2 == after.2)
        #expect(before.3 == after.3)
        // The tombstone, and an erasure event on each case saying who and why, never what.
        #expect(try store.customer(id).name == "erased customer #\(id)")
        let erasures = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT e.body, u.login FROM events e JOIN users u ON u.id = e.actor_id WHERE e.kind = 'erasure'")
        }
        #expect(erasures.count == report.cases)
        #expect(erasures.allSatisfy { ($0["login"] as String) == "root2" && ($0["body"] as String).hasPrefix("asked by [email erased]") })
        // The append-only rule stands again once the erasure is done.
        #expect(throws: DatabaseError.self) { try store.write { db in try db.execute(sql: "UPDATE events SET body = 'x' WHERE id = 1") } }
        #expect(throws: DatabaseError.self) { try store.write { db in try db.execute(sql: "DELETE FROM events WHERE id = 1") } }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event_rewrite_permits") } == 0)
        #expect(try store.dataOperations().first?.kind == "erasure")
    }

    @Test func onlyAnAdminMayEraseAndBadRequestsChangeNothing() throws {
        let (store, dir) = try Self.demo()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (id, _) = try Self.busiest(store)
        let events = try store.latestEventId()
        #expect(throws: CaseError.self) { try store.eraseCustomer(id, reason: "asked", by: "dana") }
        #expect(throws: CaseError.invalid("no customer #999999; nothing was changed")) { try store.eraseCustomer(999_999, reason: "asked", by: "root2") }
        #expect(throws: CaseError.self) { try store.eraseCustomer(id, reason: "  ", by: "root2") }
        #expect(try store.latestEventId() == events)
        #expect(try store.customer(id).name != "erased customer #\(id)")
        _ = try store.eraseCustomer(id, reason: "asked", by: "root2")
        #expect(throws: CaseError.self) { try store.eraseCustomer(id, reason: "again", by: "root2") }
    }

    /// A customer erased by an older casedesk (which left a call and their mail): `--compact`
    /// erases what can be found by their cases again, and says what it could not check.
    @Test func erasingAgainWithCompactChecksAgainAndSaysWhatItCannotCheck() throws {
        let (store, dir) = try Self.demo()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (id, _) = try Self.busiest(store)
        _ = try store.eraseCustomer(id, reason: "asked", by: "root2")
        let own = try store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM cases WHERE customer_id = ? ORDER BY id LIMIT 1", arguments: [id])! }
        try store.write { db in   // what an older erasure left behind
            _ = try CaseStore.append(db, caseId: own, actor: nil, at: DemoDataTests.now, .init(kind: .call, body: "left by an older version", channel: "phone"))
            try db.execute(sql: "INSERT INTO channel_messages(channel, external_id, case_id, direction, full_text, at) VALUES ('email', '<old@x>', ?, 'in', 'their whole mail', 0)",
                           arguments: [own])
            try db.execute(sql: "INSERT INTO mail_quarantine(at, reason, raw, filed_case_id) VALUES (0, 'no case', x'00', ?)", arguments: [own])
        }
        let report = try store.eraseCustomer(id, reason: "asked again", by: "root2", compact: true)
        #expect(report.erasedBefore && report.compacted)
        #expect(report.eventsRewritten == 1 && report.rowsRewritten == 2)
        #expect(report.description.contains("not checked: the customer's name, email, phone and account are no longer known"))
        #expect(!report.description.contains("appear nowhere"))
        let left = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE case_id = ? AND body IN ('left by an older version')", arguments: [own])! +
            Int.fetchOne(db, sql: "SELECT count(*) FROM channel_messages WHERE full_text = 'their whole mail'")! +
            Int.fetchOne(db, sql: "SELECT count(*) FROM mail_quarantine")!
        }
        #expect(left == 0)
        #expect(try store.dataOperations().first?.summary.contains("erased before") == true)
    }

    @Test func exportHoldsEveryCaseOfTheCustomerAndNothingOfAnother() throws {
        let (store, dir) = try Self.demo()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (id, identifiers) = try Self.busiest(store)
        let export = try store.exportCustomer(id, by: "root2")
        let expected = try store.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM cases WHERE customer_id = ? ORDER BY id", arguments: [id]) }
        #expect(export.cases.map(\.record.id) == expected)
        #expect(export.cases.allSatisfy { $0.record.customerId == id })
        #expect(export.customer.record.email == identifiers[1])
        let timeline = export.cases.flatMap(\.timeline)
        #expect(timeline.allSatisfy { e in expected.contains(e.caseId) })
        let eventCount = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE case_id IN (SELECT id FROM cases WHERE customer_id = ?)", arguments: [id])
        }
        #expect(timeline.count == eventCount)
        // No other customer's name, email or phone anywhere in the export.
        let json = String(decoding: try JSONEncoder().encode(export), as: UTF8.self)
        let others = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT email, phone FROM customers WHERE id != ? AND email IS NOT NULL", arguments: [id])
        }
        for row in others {
            #expect(!json.contains(row["email"] as String))
            if let phone = row["phone"] as String? { #expect(!json.contains(phone)) }
        }
        #expect(throws: CaseError.self) { try store.exportCustomer(id, by: "alice") }
    }

    @Test func trainingCopiesMadeFromTheCustomersCasesAreNamed() throws {
        let (store, dir) = try Self.demo()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (id, _) = try Self.busiest(store)
        let cases = try store.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM cases WHERE customer_id = ? LIMIT 2", arguments: [id]) }
        let out = dir + "/training.sqlite"
        _ = try Genericizer.run(from: store.path, to: out, options: GenericizeOptions(caseIds: cases))
        let report = try store.eraseCustomer(id, reason: "asked", by: "root2")
        #expect(report.trainingCopies == [URL(fileURLWithPath: out).standardizedFileURL.path])
        #expect(report.description.contains("training.sqlite"))
    }
}
