import Foundation
import GRDB
import Testing
@testable import CaseCore

@Suite struct LiveTeamPolicyTests {
    /// Tier 1 with three agents (alice, bob: device only, carol) and a lead; Tier 2 with one.
    static func team(_ policy: AssignmentPolicy) throws -> CaseStore {
        let (store, _) = try Fixtures.store()
        try store.addUser(login: "carol", name: "Carol Diaz", role: .agent, team: "Tier 1", skills: ["billing"])
        try store.addUser(login: "zed", name: "Zed Moss", role: .agent, team: "Tier 2")
        try store.setPolicy(team: "Tier 1", policy)
        return store
    }

    static func lastAssign(_ store: CaseStore, _ id: Int64) throws -> CaseEvent {
        try #require(try store.detail(id).events.last { $0.kind == .assign })
    }

    @Test func teamsListTheirPolicies() throws {
        let store = try Self.team(.roundRobin)
        #expect(try store.teams().map(\.name) == ["Tier 1", "Tier 2"])
        #expect(try store.teams().map(\.policy) == [.roundRobin, .manual])
        #expect(throws: CaseError.noSuchTeam("Nope")) { try store.setPolicy(team: "Nope", .skills) }
        #expect(throws: CaseError.self) { try store.setPolicy(team: "Tier 1", .manual, by: "alice") }
        #expect(throws: CaseError.self) { try store.setPolicy(team: "Tier 2", .manual, by: "dana") }   // not dana's team
        try store.setPolicy(team: "Tier 1", .leastLoaded, by: "dana")
        #expect(try store.teams()[0].policy == .leastLoaded)
    }

    @Test func manualTeamLeavesCasesWaiting() throws {
        let store = try Self.team(.manual)
        var new = Fixtures.newCase(); new.team = "Tier 1"
        let id = try store.createCase(new, by: nil)
        let r = try store.record(id)
        #expect(r.assignee == nil && r.teamId != nil && r.status == .new)
        // No team: the shared queue, as before.
        #expect(try store.record(try store.createCase(Fixtures.newCase(), by: nil)).teamId == nil)
        var unknown = Fixtures.newCase(); unknown.team = "Nope"
        #expect(throws: CaseError.noSuchTeam("Nope")) { try store.createCase(unknown, by: nil) }
    }

    @Test func roundRobinCyclesThroughAgentsWhoHandleTheCallTypeAcrossStores() throws {
        let store = try Self.team(.roundRobin)
        var new = Fixtures.newCase("setup", callType: "device.setup"); new.team = "Tier 1"
        // device.setup: alice (no skills) and bob (device); carol only does billing.
        var picks: [String?] = []
        for _ in 0..<3 { picks.append(try store.record(try store.createCase(new, by: "dana")).assignee) }
        // The cursor is in the database: another connection continues it.
        let other = try CaseStore(path: store.path)
        picks.append(try other.record(try other.createCase(new, by: nil)).assignee)
        #expect(picks == ["alice", "bob", "alice", "bob"])
        var billing = Fixtures.newCase(); billing.team = "Tier 1"
        #expect(try store.record(try store.createCase(billing, by: nil)).assignee == "carol")   // after bob: carol
        let id = try store.createCase(billing, by: nil)
        let r = try store.record(id)
        #expect(r.assignee == "alice" && r.status == .open)
        let e = try Self.lastAssign(store, id)
        #expect(e.body == "auto: round robin (team Tier 1)" && e.newValue == "alice" && e.oldValue == nil)
        #expect(try store.detail(id).events.map(\.kind) == [.created, .assign])
    }

    @Test func leastLoadedPicksFewestOpenCases() throws {
        let store = try Self.team(.leastLoaded)
        for _ in 0..<2 { try store.assign(try store.createCase(Fixtures.newCase(), by: nil), to: "alice", by: "dana") }
        try store.assign(try store.createCase(Fixtures.newCase(), by: nil), to: "carol", by: "dana")
        // A resolved case is no load.
        let done = try store.createCase(Fixtures.newCase(callType: "device"), by: nil)
        try store.assign(done, to: "bob", by: "dana")
        try store.resolve(done, code: "fixed", by: "bob")
        var new = Fixtures.newCase("billing again", callType: "billing"); new.team = "Tier 1"
        // bob handles only device.*, so for billing: carol (1) beats alice (2).
        let first = try store.createCase(new, by: nil)
        #expect(try store.record(first).assignee == "carol")
        #expect(try Self.lastAssign(store, first).body == "auto: least loaded (team Tier 1)")
        var device = Fixtures.newCase("device", callType: "device"); device.team = "Tier 1"
        #expect(try store.record(try store.createCase(device, by: nil)).assignee == "bob")   // bob 0
    }

    @Test func skillsPreferSpecialistsThenGeneralists() throws {
        let store = try Self.team(.skills)
        // carol is a billing specialist: gets billing even with more load than alice.
        try store.assign(try store.createCase(Fixtures.newCase(), by: nil), to: "carol", by: "dana")
        var billing = Fixtures.newCase(); billing.team = "Tier 1"
        let id = try store.createCase(billing, by: nil)
        #expect(try store.record(id).assignee == "carol")
        #expect(try Self.lastAssign(store, id).body == "auto: skills (team Tier 1)")
        var device = Fixtures.newCase("setup", callType: "device.setup"); device.team = "Tier 1"
        #expect(try store.record(try store.createCase(device, by: nil)).assignee == "bob")
        // No specialist for this one (no call type skill anywhere): a generalist.
        try store.pool.write { db in try db.execute(sql: "INSERT INTO call_types(code, name, parent, default_priority, first_response_minutes, resolution_minutes) VALUES ('account','Account',NULL,3,60,480)") }
        var account = Fixtures.newCase("login", callType: "account"); account.team = "Tier 1"
        #expect(try store.record(try store.createCase(account, by: nil)).assignee == "alice")
    }

    @Test func onlyActiveAgentsArePicked() throws {
        let store = try Self.team(.leastLoaded)
        try store.pool.write { db in
            try db.execute(sql: "UPDATE users SET active = 0 WHERE login IN ('alice', 'carol')")
        }
        var billing = Fixtures.newCase(); billing.team = "Tier 1"
        // Nobody active handles billing (bob: device only; dana is a lead): it waits.
        let id = try store.createCase(billing, by: nil)
        #expect(try store.record(id).assignee == nil)
        #expect(throws: CaseError.self) { try store.assign(id, to: "alice", by: "dana") }
    }

    @Test func releasedCaseGoesToSomeoneElseByPolicy() throws {
        let store = try Self.team(.leastLoaded)
        var billing = Fixtures.newCase(); billing.team = "Tier 1"
        let id = try store.createCase(billing, by: nil)
        #expect(try store.record(id).assignee == "alice")   // 0 each: earliest-added agent
        try store.assign(id, to: nil, by: "alice", reason: "going home")
        let r = try store.record(id)
        #expect(r.assignee == "carol")                      // not straight back to alice
        let moves = try store.detail(id).events.filter { $0.kind == .assign }
        #expect(moves.map(\.newValue) == ["alice", nil, "carol"])
        #expect(moves.map(\.body) == ["auto: least loaded (team Tier 1)", "going home", "auto: least loaded (team Tier 1)"])
        #expect(moves.map(\.actor) == [nil, "alice", "alice"])
        // Manual team: released means waiting.
        try store.setPolicy(team: "Tier 1", .manual)
        try store.assign(id, to: nil, by: "dana")
        #expect(try store.record(id).assignee == nil)
    }
}

@Suite struct LiveTeamReassignTests {
    @Test func reassignMovesManyInOneAuditedTransaction() throws {
        let (store, _) = try Fixtures.store()
        let ids = try store.createCases((0..<4).map { Fixtures.newCase("case \($0)") }, by: nil)
        try store.assign(ids[0], to: "alice", by: "dana")
        let moved = try store.reassign(ids + [ids[1]], to: "bob", by: "dana", reason: "alice is in training")
        #expect(moved.map(\.id) == ids)
        #expect(moved.allSatisfy { $0.assignee == "bob" && $0.status == .open })
        for id in ids {
            let e = try #require(try store.detail(id).events.last)
            #expect(e.kind == .assign && e.actor == "dana" && e.newValue == "bob" && e.body == "alice is in training")
        }
        #expect(try store.detail(ids[0]).events.last?.oldValue == "alice")
        // Already with bob: nothing to record.
        let before = try store.latestEventId()
        #expect(try store.reassign([ids[2]], to: "bob", by: "dana", reason: nil).first?.assignee == "bob")
        #expect(try store.latestEventId() == before)
    }

    @Test func reassignIsAllOrNothing() throws {
        let (store, _) = try Fixtures.store()
        let ids = try store.createCases((0..<3).map { Fixtures.newCase("case \($0)") }, by: nil)
        try store.assign(ids[2], to: "alice", by: "dana")
        let before = try store.latestEventId()
        // A missing case in the middle: nothing moves.
        #expect(throws: CaseError.noSuchCase(999)) { try store.reassign([ids[0], 999, ids[1]], to: "bob", by: "dana", reason: nil) }
        // bob may take free cases for himself, but not alice's: nothing moves either.
        #expect(throws: CaseError.self) { try store.reassign([ids[0], ids[2]], to: "bob", by: "bob", reason: nil) }
        #expect(throws: CaseError.self) { try store.reassign([ids[0]], to: "ed", by: "dana", reason: nil) }   // an expert
        #expect(throws: CaseError.self) { try store.reassign([], to: "bob", by: "dana", reason: nil) }
        #expect(try store.latestEventId() == before)
        #expect(try ids.map { try store.record($0).assignee } == [nil, nil, "alice"])
        #expect(try store.reassign([ids[0], ids[1]], to: "bob", by: "bob", reason: nil).map(\.assignee) == ["bob", "bob"])
        // An agent may put their own cases back, one or many.
        #expect(try store.reassign([ids[0], ids[1]], to: nil, by: "bob", reason: "wrong queue").map(\.assignee) == [nil, nil])
    }
}

@Suite struct LiveTeamPresenceTests {
    @Test func heartbeatsShowWhoIsOnACaseAndExpire() throws {
        let clock = TestClock(Date())
        let (store, path) = try Fixtures.store(now: { clock.now })
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        try store.heartbeat(login: "alice", session: "s-alice", caseId: id, typing: false)
        try store.heartbeat(login: "bob", session: "s-bob", caseId: id, typing: true)
        try store.heartbeat(login: "dana", session: "s-dana", caseId: nil, typing: false)
        #expect(try store.presence(caseId: id, excludingSession: "s-alice").map(\.login) == ["bob"])
        let both = try store.presence(caseId: id, excludingSession: nil)
        #expect(both.map(\.login) == ["alice", "bob"] && both.map(\.typing) == [false, true] && both[0].name == "Alice Martin")
        // alice moves on and stops typing nowhere; bob's desk quits cleanly.
        try store.endPresence(session: "s-bob")
        #expect(try store.presence(caseId: id, excludingSession: "s-alice").isEmpty)

        // A desk killed without a goodbye: its last heartbeat just ages out.
        clock.advance(CaseStore.presenceExpiry - 1)
        let otherClock = TestClock(clock.now)
        let fresh = try CaseStore(path: path, now: { otherClock.now })
        #expect(try fresh.presence(caseId: id, excludingSession: nil).map(\.login) == ["alice"])
        otherClock.advance(2)
        #expect(try fresh.presence(caseId: id, excludingSession: nil).isEmpty)
    }

    @Test func anOldHeartbeatIsNotPresence() throws {
        // A store whose clock is a minute behind writes a heartbeat that is already stale.
        let (store, path) = try Fixtures.store()
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        let past = try CaseStore(path: path, now: { Date().addingTimeInterval(-60) })
        try past.heartbeat(login: "bob", session: "old", caseId: id, typing: true)
        #expect(try past.presence(caseId: id, excludingSession: nil).map(\.login) == ["bob"])
        #expect(try store.presence(caseId: id, excludingSession: nil).isEmpty)
        #expect(try store.board(for: "dana").agents.first { $0.login == "bob" }?.state == .away)
    }

    @Test func unchangedHeartbeatsDoNotCommitEveryTime() throws {
        let clock = TestClock(Date())
        let (store, path) = try Fixtures.store(now: { clock.now })
        let id = try store.createCase(Fixtures.newCase(), by: nil)
        let watcher = try ChangeWatcher(path: path)
        try store.heartbeat(login: "alice", session: "s", caseId: id, typing: false)
        #expect(watcher.changed())
        clock.advance(1)
        try store.heartbeat(login: "alice", session: "s", caseId: id, typing: false)
        #expect(!watcher.changed())                 // fresh and the same: no commit, no desk woken
        try store.heartbeat(login: "alice", session: "s", caseId: id, typing: true)
        #expect(watcher.changed())                  // typing started: everyone must know
        clock.advance(CaseStore.presenceExpiry / 2)
        try store.heartbeat(login: "alice", session: "s", caseId: id, typing: true)
        #expect(watcher.changed())                  // refreshed well before it could expire
        #expect(throws: CaseError.noSuchCase(424242)) { try store.heartbeat(login: "alice", session: "s", caseId: 424242, typing: false) }
    }
}

@Suite struct LiveTeamBoardTests {
    @Test func boardShowsTheTeamLive() throws {
        let clock = TestClock(Date())
        let (store, _) = try Fixtures.store(now: { clock.now })
        try store.addUser(login: "zed", name: "Zed Moss", role: .agent, team: "Tier 2")
        try store.addUser(login: "root", name: "Root Admin", role: .admin)
        var tier1 = Fixtures.newCase("tier 1 waiting", callType: "billing"); tier1.team = "Tier 1"
        var tier2 = Fixtures.newCase("tier 2 waiting", callType: "billing"); tier2.team = "Tier 2"
        let t1 = try store.createCase(tier1, by: nil)
        try store.createCase(tier2, by: nil)
        clock.advance(60)
        let shared = try store.createCase(Fixtures.newCase("anyone", callType: "device"), by: nil)
        let urgent = try store.createCase(Fixtures.newCase("urgent", callType: "billing.dispute"), by: nil)
        let mine = try store.createCase(Fixtures.newCase("alice's"), by: nil)
        try store.assign(mine, to: "alice", by: "dana")
        let zeds = try store.createCase(Fixtures.newCase("zed's"), by: nil)
        try store.assign(zeds, to: "zed", by: "dana")
        let done = try store.createCase(Fixtures.newCase("done", callType: "device"), by: nil)
        try store.assign(done, to: "bob", by: "dana")
        try store.resolve(done, code: "fixed", by: "bob")
        try store.heartbeat(login: "alice", session: "a", caseId: mine, typing: true)
        try store.heartbeat(login: "bob", session: "b", caseId: nil, typing: false)

        let board = try store.board(for: "dana")
        #expect(board.team == "Tier 1")
        #expect(board.agents == [
            AgentStatus(login: "alice", name: "Alice Martin", state: .onCase(mine), openCases: 1, handledToday: 0),
            AgentStatus(login: "bob", name: "Bob Okafor", state: .idle, openCases: 0, handledToday: 1),
        ])
        // Waiting: Tier 1's own billing case and the team-less ones, not Tier 2's.
        #expect(board.depth.map(\.callType) == ["billing", "billing.dispute", "device"])
        #expect(board.depth.map(\.waiting) == [1, 1, 1])
        #expect(board.depth[0].oldest == (try store.record(t1).createdAt))
        // Nothing is due within the hour yet (billing.dispute: 4 h).
        #expect(board.atRisk.isEmpty)

        clock.advance(4 * 3600 - 30 * 60)   // billing.dispute cases now due in 30 min; billing and device (8 h) not
        let later = try store.board(for: "dana")
        #expect(later.atRisk.map(\.id) == [urgent, mine])      // zed's is Tier 2's; soonest first
        #expect(later.agents.map(\.state) == [.away, .away])  // heartbeats went stale
        clock.advance(5 * 3600)
        let overdue = try store.board(for: "dana").atRisk.map(\.id)
        #expect(Set(overdue) == [t1, shared, urgent, mine])
        #expect(overdue.prefix(2) == [urgent, mine])          // most overdue first

        let everyone = try store.board(for: "root")
        #expect(everyone.team == nil)
        #expect(everyone.agents.map(\.login) == ["alice", "bob", "zed"])
        #expect(everyone.depth.first { $0.callType == "billing" }?.waiting == 2)
        #expect(everyone.atRisk.count == 6)
        _ = shared
    }

    @Test func agentsAndOthersCannotOpenTheBoard() throws {
        let (store, _) = try Fixtures.store()
        #expect(throws: CaseError.notAllowed("alice may not open the lead board (alice is an agent): only a lead or an admin may")) {
            try store.board(for: "alice")
        }
        #expect(throws: CaseError.self) { try store.board(for: "ed") }
        #expect(throws: CaseError.noSuchUser("nobody")) { try store.board(for: "nobody") }
    }

    @Test func handledTodayCountsOnlyTodaysResolutions() throws {
        // "Today" is the business day in the pack's zone (UTC in the fixture pack).
        let clock = TestClock(BusinessCalendar(.always).dayStart(Date()).addingTimeInterval(-3600))   // 23:00 yesterday
        let (store, _) = try Fixtures.store(now: { clock.now })
        let yesterday = try store.createCase(Fixtures.newCase(), by: nil)
        try store.assign(yesterday, to: "alice", by: "dana")
        try store.resolve(yesterday, code: "fixed", by: "alice")
        clock.advance(2 * 3600)
        let today = try store.createCase(Fixtures.newCase(), by: nil)
        try store.assign(today, to: "alice", by: "dana")
        try store.resolve(today, code: "fixed", by: "alice")
        #expect(try store.board(for: "dana").agents.first { $0.login == "alice" }?.handledToday == 1)
    }
}

/// The board and the policies must stay index walks at a million cases.
@Suite struct LiveTeamPlanTests {
    static func plan(_ store: CaseStore, _ sql: String, _ args: StatementArguments = []) throws -> String {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: args).map { $0["detail"] as String }.joined(separator: " | ")
        }
    }

    @Test func boardQueriesUseTheirIndexes() throws {
        let (store, _) = try Fixtures.store()
        let open = Schema.openStatuses
        let depth = try Self.plan(store, """
            SELECT call_type, count(*), min(created_at) FROM cases INDEXED BY cases_waiting_by_team_call_type
            WHERE assignee_id IS NULL AND \(open) AND team_id = ? GROUP BY call_type
            """, [1])
        #expect(depth.contains("COVERING INDEX cases_waiting_by_team_call_type (team_id=?)"))
        let unteamed = try Self.plan(store, """
            SELECT call_type, count(*), min(created_at) FROM cases INDEXED BY cases_waiting_by_team_call_type
            WHERE assignee_id IS NULL AND \(open) AND team_id IS NULL GROUP BY call_type
            """)
        #expect(unteamed.contains("COVERING INDEX cases_waiting_by_team_call_type (team_id=?)"))
        let all = try Self.plan(store, """
            SELECT call_type, count(*), min(created_at) FROM cases INDEXED BY cases_waiting_by_team_call_type
            WHERE assignee_id IS NULL AND \(open) GROUP BY call_type
            """)
        #expect(all.contains("COVERING INDEX cases_waiting_by_team_call_type"))
        let risk = try Self.plan(store, String(format: CaseStore.queueSelect, "cases_open_by_team_due")
                                 + " AND c.team_id = ? AND c.due_at < ? ORDER BY c.due_at, c.id LIMIT 50", [1, 0])
        #expect(risk.contains("INDEX cases_open_by_team_due (team_id=? AND due_at<?)") && !risk.contains("TEMP B-TREE"))
        let agentRisk = try Self.plan(store, """
            SELECT c.due_at, c.id FROM cases c INDEXED BY cases_open_by_assignee_due
            WHERE c.\(open) AND c.assignee_id = ? AND c.due_at < ? ORDER BY c.due_at, c.id LIMIT 50
            """, [1, 0])
        #expect(agentRisk.contains("COVERING INDEX cases_open_by_assignee_due (assignee_id=? AND due_at<?)") && !agentRisk.contains("TEMP B-TREE"))
        let handled = try Self.plan(store, """
            SELECT count(DISTINCT case_id) FROM events INDEXED BY events_resolve_by_actor
            WHERE kind = 'resolve' AND actor_id = ? AND at >= ?
            """, [1, 0])
        #expect(handled.contains("events_resolve_by_actor (actor_id=? AND at>?)"))
        let load = try Self.plan(store, "SELECT count(*) FROM cases INDEXED BY cases_open_by_assignee WHERE assignee_id = ? AND \(open)", [1])
        #expect(load.contains("INDEX cases_open_by_assignee (assignee_id=?)"))   // one agent's open cases: tens
        // The parts added with the figures (issue 9): the true at-risk count, CSAT alerts and
        // the QA queue each walk an index range, never the whole cases table.
        let riskCount = try Self.plan(store, "SELECT count(*) FROM cases c INDEXED BY cases_open_by_due WHERE c.\(open)"
                                      + SLAClock.atRiskSQL + " AND (c.team_id = ? OR (c.team_id IS NULL AND c.assignee_id IS NULL))", [0, 1])
        #expect(riskCount.contains("INDEX cases_open_by_due (due_at<?)") && !riskCount.contains("SCAN"))
        let alerts = try Self.plan(store, "SELECT count(*) FROM cases c INDEXED BY cases_csat_at WHERE c.csat_at >= ? AND c.csat <= ? AND (c.team_id = ?)", [0, 2, 1])
        #expect(alerts.contains("INDEX cases_csat_at (csat_at>?)") && !alerts.contains("SCAN"))
        let reviewed = try Self.plan(store, "SELECT count(*) FROM qa_reviews WHERE agent_id = ? AND at >= ?", [1, 0])
        #expect(reviewed.contains("COVERING INDEX qa_reviews_by_agent (agent_id=? AND at>?)"))
        let sample = try Self.plan(store, """
            SELECT c.id FROM cases c INDEXED BY cases_resolved_by_assignee
            WHERE c.assignee_id = ? AND c.resolved_at >= ? AND \(CaseStatus.doneSQL("c.status"))
              AND NOT EXISTS (SELECT 1 FROM qa_reviews r WHERE r.case_id = c.id)
            ORDER BY (c.id * 2654435761) % 4294967296 LIMIT ?
            """, [1, 0, 2])
        #expect(sample.contains("INDEX cases_resolved_by_assignee (assignee_id=? AND resolved_at>?)") && sample.contains("qa_reviews_by_case"))
        #expect(!sample.contains("SCAN c"))
        // And the real calls run (INDEXED BY fails loudly if an index cannot serve).
        try store.addUser(login: "root", role: .admin)
        _ = try store.board(for: "dana")
        _ = try store.board(for: "root")
    }
}
