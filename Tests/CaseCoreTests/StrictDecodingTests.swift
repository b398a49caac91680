import Foundation
import GRDB
import Testing
@testable import CaseCore

/// A stored value this casedesk does not know (written by hand, by a newer version, or damaged)
/// is an error naming the table, the row and the value, never a default that changes its meaning.
@Suite struct StrictDecodingTests {
    /// Writes with raw SQL, past the CHECK constraints a newer schema might have loosened.
    private func corrupt(_ store: CaseStore, _ sql: String) throws {
        try store.pool.write { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: sql)
            try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
        }
    }

    private func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let error as CaseError { return error.description } catch { return "\(error)" }
    }

    @Test func unknownCaseStatusNamesTheRow() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: "alice")
        try corrupt(store, "UPDATE cases SET status = 'archived' WHERE id = \(id)")
        let expected = "cases row \(id): unknown status 'archived' (expected new, open, pending, resolved, closed)"
        #expect(message { _ = try store.record(id) } == expected)
        #expect(message { _ = try store.listCases() } == expected)
    }

    @Test func unknownPriorityAndChannelNameTheRow() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: "alice")
        try corrupt(store, "UPDATE cases SET priority = 9 WHERE id = \(id)")
        #expect(message { _ = try store.queuePage(QueueFilter(scope: .all)) } == "cases row \(id): unknown priority '9' (expected 1, 2, 3, 4)")
        try corrupt(store, "UPDATE cases SET priority = 2, channel = 'pigeon' WHERE id = \(id)")
        #expect(message { _ = try store.detail(id) }?.hasPrefix("cases row \(id): unknown channel 'pigeon' (expected phone, email") == true)
    }

    @Test func unknownRoleIsNotAnAgent() throws {
        let (store, _) = try Fixtures.store()
        try corrupt(store, "UPDATE users SET role = 'overlord' WHERE login = 'alice'")
        let id = try store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE login = 'alice'")! }
        #expect(message { _ = try store.user(login: "alice") }
                == "users row \(id): unknown role 'overlord' (expected agent, lead, trainer, expert, admin, gateway)")
    }

    @Test func unknownEventKindAndTeamPolicyNameTheRow() throws {
        let (store, _) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: "alice")
        try corrupt(store, "DROP TRIGGER events_refuse_update; UPDATE events SET kind = 'telepathy' WHERE case_id = \(id)")
        let eventId = try store.read { db in try Int64.fetchOne(db, sql: "SELECT min(id) FROM events WHERE case_id = \(id)")! }
        let found = message { _ = try store.detail(id) } ?? ""
        #expect(found.hasPrefix("events row \(eventId): unknown kind 'telepathy' (expected created, "), "\(found)")

        try corrupt(store, "UPDATE teams SET policy = 'lottery'")
        #expect(message { _ = try store.teams() }?.contains(": unknown policy 'lottery' (expected manual, round_robin, least_loaded, skills)") == true)
    }

    @Test func unknownDatabaseKindIsNotProduction() throws {
        let (store, _) = try Fixtures.store()
        try corrupt(store, "INSERT OR REPLACE INTO settings(key, value) VALUES ('kind', 'sandbox')")
        #expect(message { _ = try store.kind() } == "settings row kind: unknown value 'sandbox' (expected production, demo, training)")
    }
}
