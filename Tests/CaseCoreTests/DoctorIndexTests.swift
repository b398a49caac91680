import Foundation
import GRDB
import Testing
@testable import CaseCore

/// `doctor` notices a missing index that queries name, and `--repair` rebuilds it.
@Suite struct DoctorIndexTests {
    @Test func aMissingIndexIsReportedAndRepaired() throws {
        let (store, path) = try Fixtures.store()
        #expect(try DatabaseDoctor.check(path: path).healthy)
        #expect(try DatabaseDoctor.check(path: path).lines.contains { $0.hasPrefix("indexes: all ") })
        try store.pool.write { db in try db.execute(sql: "DROP INDEX cases_open_by_assignee; DROP INDEX events_resolve_by_actor") }
        // The queue names this index: without it the query fails outright.
        #expect(throws: DatabaseError.self) { _ = try store.queuePage(QueueFilter(scope: .unassigned)) }
        let report = try DatabaseDoctor.check(path: path)
        #expect(!report.healthy)
        let line = try #require(report.lines.first { $0.hasPrefix("indexes: missing") })
        #expect(line.contains("cases_open_by_assignee") && line.contains("events_resolve_by_actor") && line.contains("casedesk doctor --repair"))
        #expect(try SchemaIndexes.repair(store).sorted() == ["cases_open_by_assignee", "events_resolve_by_actor"])
        #expect(try DatabaseDoctor.check(path: path).healthy)
        #expect(try store.queuePage(QueueFilter(scope: .unassigned)).isEmpty)
        #expect(try SchemaIndexes.repair(store).isEmpty)
    }

    @Test func theExpectedIndexesAreTheMigrationsOwn() throws {
        let names = Set(try SchemaIndexes.expected().map(\.name))
        for named in ["cases_open", "cases_open_by_assignee", "cases_open_by_team", "cases_open_by_call_type", "cases_open_by_due",
                      "cases_waiting_by_team_call_type", "cases_open_by_team_due", "cases_open_by_assignee_due", "events_resolve_by_actor"] {
            #expect(names.contains(named), "\(named)")
        }
    }

    @Test func anIndexWithAnOlderDefinitionIsReportedAndRepaired() throws {
        let (store, path) = try Fixtures.store()
        try store.pool.write { db in
            try db.execute(sql: "DROP INDEX cases_open; CREATE INDEX cases_open ON cases(priority, due_at, id) WHERE \(Schema.openStatuses)")
        }
        let line = try #require(try DatabaseDoctor.check(path: path).lines.first { $0.hasPrefix("indexes: missing") })
        #expect(line.contains("cases_open"))
        #expect(try SchemaIndexes.repair(store) == ["cases_open"])
        #expect(try DatabaseDoctor.check(path: path).healthy)
    }

    /// Every index an at-risk test walks carries `sla_paused_at` (and `due_at`), so the test
    /// is answered from the index entries instead of each open case's row.
    @Test func atRiskIndexesCarryThePauseColumn() throws {
        let (store, _) = try Fixtures.store()
        var names = [QueueScope.all, .unassigned, .team(1), .callType("billing")].map { CaseStore.scope($0).0 }
        names += ["cases_open_by_due", "cases_open_by_team_due", "cases_open_by_assignee_due"]
        for name in names {
            let columns = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?)", arguments: [name]) }
            #expect(columns.contains("due_at") && columns.contains("sla_paused_at"), "\(name): \(columns)")
        }
    }
}
