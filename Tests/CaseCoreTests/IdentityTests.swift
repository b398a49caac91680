import Foundation
import GRDB
import Testing
@testable import CaseCore

/// Who is acting (the OS login; --as only for admins or in demo and training databases),
/// and the policy as the store enforces it: refused means nothing written.
@Suite struct IdentityTests {
    static func store() throws -> (CaseStore, String) {
        let (store, path) = try Fixtures.store()
        try store.addUser(login: "morgan", name: "Morgan Blake", role: .admin)
        return (store, path)
    }

    @Test func productionIdentityIsTheOSLogin() throws {
        let (store, path) = try Self.store()
        #expect(try store.identify(osLogin: "alice", asLogin: nil) == Identity(login: "alice", osLogin: "alice"))
        #expect(try store.identify(osLogin: "alice", asLogin: "alice").via == nil)
        // An unknown login is refused with the command an admin runs.
        #expect(throws: CaseError.notAllowed("the login 'mallory' is not a CaseDesk user of \(path); an admin adds it with: casedesk user add mallory --role agent --db \(path)")) {
            try store.identify(osLogin: "mallory", asLogin: nil)
        }
        // ... as an admin, when the command asked for is an admin's (a backup, a restore).
        #expect(throws: CaseError.notAllowed("the login 'casedesk' is not a CaseDesk user of \(path); an admin adds it with: casedesk user add casedesk --role admin --db \(path)")) {
            try store.identify(osLogin: "casedesk", asLogin: nil, newcomerRole: .admin)
        }
        // An agent cannot act as a lead, nor as anyone.
        #expect(throws: CaseError.notAllowed("bob may not act as dana (--as): only an admin may (bob is an agent)")) {
            try store.identify(osLogin: "bob", asLogin: "dana")
        }
        // An admin may, and is recorded beside the user acted for.
        let identity = try store.identify(osLogin: "morgan", asLogin: "alice")
        #expect(identity == Identity(login: "alice", osLogin: "morgan", via: "morgan"))
        #expect(identity.description == "morgan as alice")
    }

    @Test func anAdminActingForAnAgentIsRecordedAsBoth() throws {
        let (store, _) = try Self.store()
        let id = try store.createCase(Fixtures.newCase(), by: "dana")
        try store.assign(id, to: "alice", by: "dana")
        try store.adopt(try store.identify(osLogin: "morgan", asLogin: "alice"))
        try store.addNote(id, text: "called back for alice", by: "alice")
        let note = try #require(try store.detail(id).events.last)
        #expect(note.actor == "alice" && note.via == "morgan")
        #expect(TimelineText.line(for: note) == "note (morgan as alice): called back for alice")
        // Earlier events name one person only.
        #expect(try store.detail(id).events.dropLast().allSatisfy { $0.via == nil })
    }

    @Test func demoAndTrainingDatabasesLetAnyoneChooseWithAs() throws {
        let (store, path) = try Self.store()
        try store.setSetting("kind", DatabaseKind.demo.rawValue)
        #expect(try store.identify(osLogin: "someone", asLogin: "dana") == Identity(login: "dana", osLogin: "someone"))
        let fallback = try store.identify(osLogin: "someone", asLogin: nil)
        #expect(fallback.login == "alice" && fallback.notice?.contains("demo agent alice") == true)
        try store.setSetting("kind", DatabaseKind.training.rawValue)
        #expect(try store.identify(osLogin: "someone", asLogin: "bob").login == "bob")
        #expect(throws: CaseError.notAllowed("no user 'someone' in the training database \(path); name one with --as LOGIN")) {
            try store.identify(osLogin: "someone", asLogin: nil)
        }
    }

    @Test func aDisabledUserIsRefusedAndCannotBeAssigned() throws {
        let (store, path) = try Self.store()
        let id = try store.createCase(Fixtures.newCase(), by: "dana")
        #expect(throws: CaseError.self) { try store.setActive("bob", false, by: "alice") }   // only admins
        try store.setActive("bob", false, by: "morgan")
        #expect(throws: CaseError.notAllowed("bob is disabled in \(path); an admin re-enables it with: casedesk user enable bob --db \(path)")) {
            try store.identify(osLogin: "bob", asLogin: nil)
        }
        let before = try store.latestEventId()
        #expect(throws: CaseError.self) { try store.addNote(id, text: "still here", by: "bob") }
        #expect(throws: CaseError.notAllowed("bob is disabled and cannot be assigned cases")) { try store.assign(id, to: "bob", by: "dana") }
        #expect(try store.latestEventId() == before)
        // History stays; enabled again, bob acts again.
        #expect(try store.user(login: "bob").active == false)
        try store.setActive("bob", true, by: "morgan")
        try store.addNote(id, text: "back", by: "bob")
    }

    @Test func agentsWorkTheirOwnCasesAndNoteAnyAndNothingIsWrittenWhenRefused() throws {
        let (store, _) = try Self.store()
        let id = try store.createCase(Fixtures.newCase(), by: "dana")
        try store.assign(id, to: "alice", by: "dana")
        let before = try store.latestEventId()
        #expect(throws: CaseError.notAllowed("bob may not respond on case #\(id) (assigned to alice): only its assignee (or an agent of its queue while it waits), a lead or an admin may")) {
            try store.sendResponse(id, text: "hi", by: "bob")
        }
        #expect(throws: CaseError.self) { try store.setCallType(id, to: "device", by: "bob") }
        #expect(throws: CaseError.self) { try store.resolve(id, code: "fixed", by: "bob") }
        #expect(throws: CaseError.self) { try store.setStatus(id, to: .pending, by: "bob") }
        #expect(try store.latestEventId() == before)
        try store.addNote(id, text: "I know this customer", by: "bob")   // a note on any case they can see
        try store.sendResponse(id, text: "hi", by: "alice")
        try store.setCallType(id, to: "billing", by: "dana")           // the team's lead
        try store.setPriority(id, to: .p1, reason: "customer at risk", by: "morgan")   // an admin
    }

    @Test func expertsReadAndAnswerTheirConsultsOnly() throws {
        let (store, _) = try Self.store()
        try store.addUser(login: "ngozi", role: .expert, department: "R&D")
        let id = try store.createCase(Fixtures.newCase(), by: "dana")
        try store.assign(id, to: "alice", by: "dana")
        // A consult goes to an expert, never to the asker or to a non-expert.
        #expect(throws: CaseError.self) { try store.consult(id, expert: "alice", question: "me?", by: "alice") }
        #expect(throws: CaseError.self) { try store.consult(id, expert: "dana", question: "lead?", by: "alice") }
        #expect(throws: CaseError.self) { try store.consult(id, expert: "ed", question: "not mine", by: "bob") }
        try store.consult(id, expert: "ed", question: "Is the second charge a hold?", by: "alice")
        // The expert sees the case; changes nothing but the answer.
        try store.require("ed", .view, case: id)
        #expect(throws: CaseError.self) { try store.require("ngozi", .view, case: id) }
        #expect(throws: CaseError.self) { try store.setCallType(id, to: "device", by: "ed") }
        #expect(throws: CaseError.self) { try store.addNote(id, text: "hm", by: "ed") }
        let consult = try #require(try store.consults(for: "ed").first)
        #expect(throws: CaseError.self) { try store.answerConsult(consult.id, answer: "not me", by: "ngozi") }
        try store.answerConsult(consult.id, answer: "Yes, a pre-authorisation hold.", by: "ed")
    }

    @Test func onlyAdminsManageUsersAndContent() throws {
        let (store, _) = try Self.store()
        #expect(throws: CaseError.notAllowed("bob may not manage users (bob is an agent): only an admin may")) {
            try store.addUser(login: "mallory", role: .admin, by: "bob")
        }
        #expect(throws: CaseError.self) { try store.addUser(login: "mallory", role: .admin, by: "dana") }
        #expect((try? store.user(login: "mallory")) == nil)
        try store.addUser(login: "carmen", role: .agent, team: "Tier 1", by: "morgan")
        #expect(throws: CaseError.self) { try store.install(Fixtures.pack, by: "dana") }
        try store.install(Fixtures.pack, by: "morgan")
    }

    @Test func leadsActOnTheirTeamsCasesOnly() throws {
        let (store, _) = try Self.store()
        try store.addUser(login: "raj", role: .lead, team: "Tier 2")
        try store.addUser(login: "priya", role: .agent, team: "Tier 2")
        var tier2 = Fixtures.newCase("Tier 2 case")
        tier2.team = "Tier 2"
        let id = try store.createCase(tier2, by: "raj")
        try store.assign(id, to: "priya", by: "raj")
        #expect(throws: CaseError.self) { try store.assign(id, to: "alice", by: "dana") }
        #expect(throws: CaseError.self) { try store.sendResponse(id, text: "hi", by: "dana") }
        #expect(throws: CaseError.self) { try store.setPolicy(team: "Tier 2", .roundRobin, by: "dana") }
        try store.setPolicy(team: "Tier 1", .roundRobin, by: "dana")
        try store.assign(id, to: "alice", by: "morgan")
    }
}
