import Foundation
import Testing
@testable import CaseCore

/// Every row of the policy table (docs/admin-guide.md, "Who may do what"), for every role,
/// allowed and refused, on the cases that tell the conditions apart.
@Suite struct PolicyTableTests {
    // Team 1: agent alice, agent bob, lead dana. Team 2: agent priya, lead raj.
    static func user(_ id: Int64, _ login: String, _ role: Role, team: Int64?, active: Bool = true) -> User {
        User(id: id, login: login, name: login, role: role, teamId: team, team: team.map { "Tier \($0)" },
             department: "customer care", skills: [], active: active)
    }
    static let alice = user(1, "alice", .agent, team: 1)
    static let bob = user(2, "bob", .agent, team: 1)
    static let dana = user(3, "dana", .lead, team: 1)
    static let priya = user(4, "priya", .agent, team: 2)
    static let tess = user(5, "tess", .trainer, team: nil)
    static let ed = user(6, "ed", .expert, team: nil)
    static let admin = user(7, "admin", .admin, team: nil)
    static let ngozi = user(8, "ngozi", .expert, team: nil)
    /// The mail gateway: files, threads and sends through the channel commands only; the table gives it nothing.
    static let mailgw = user(9, "mailgw", .gateway, team: nil)

    /// The cases that tell the conditions apart, as seen by the acting role's representative.
    enum Scenario: CaseIterable {
        case own              // assigned to the actor (alice for agents, dana for leads, …)
        case colleagues       // assigned to bob, team 1
        case waitingInQueue   // unassigned, team 1
        case sharedQueue      // unassigned, no team
        case otherTeam        // assigned to priya, filed to team 2
        case otherTeamQueue   // unassigned, team 2
        case consulted        // assigned to bob; ed was consulted on it
    }

    static func facts(_ s: Scenario, actor: User) -> CaseFacts {
        let t1 = (Int64(1), "Tier 1"), t2 = (Int64(2), "Tier 2")
        switch s {
        case .own: return CaseFacts(id: 10, assigneeId: actor.id, assignee: actor.login, teamId: t1.0, team: t1.1, assigneeTeamId: actor.teamId)
        case .colleagues: return CaseFacts(id: 11, assigneeId: bob.id, assignee: "bob", teamId: t1.0, team: t1.1, assigneeTeamId: 1)
        case .waitingInQueue: return CaseFacts(id: 12, teamId: t1.0, team: t1.1)
        case .sharedQueue: return CaseFacts(id: 13)
        case .otherTeam: return CaseFacts(id: 14, assigneeId: priya.id, assignee: "priya", teamId: t2.0, team: t2.1, assigneeTeamId: 2)
        case .otherTeamQueue: return CaseFacts(id: 15, teamId: t2.0, team: t2.1)
        case .consulted: return CaseFacts(id: 16, assigneeId: bob.id, assignee: "bob", teamId: t1.0, team: t1.1, assigneeTeamId: 1,
                                          consultedExperts: [ed.id])
        }
    }

    /// The table as the docs state it, written out by hand: the spec the code is held to.
    static let spec: [Action: [Role: Condition]] = {
        let everyone: [Role: Condition] = [.agent: .any, .lead: .any, .trainer: .any, .admin: .any]
        let casework: [Role: Condition] = [.agent: .ownOrQueue, .lead: .team, .trainer: .training, .admin: .any]
        return [
            .view: [.agent: .any, .lead: .any, .trainer: .any, .expert: .consulted, .admin: .any],
            .note: everyone, .logContact: everyone, .flagRule: everyone, .listCases: everyone,
            .respond: casework, .setCallType: casework, .setPriority: casework, .setStatus: casework, .completeStep: casework,
            .resolve: casework, .recordCSAT: casework, .consult: casework,
            .answerConsult: [.expert: .consulted],
            .take: [.agent: .queue, .lead: .team, .trainer: .training, .admin: .any],
            .release: [.agent: .own, .lead: .team, .trainer: .training, .admin: .any],
            .reassign: [.agent: .own, .lead: .team, .trainer: .training, .admin: .any],
            .createCase: [.agent: .any, .lead: .any, .trainer: .training, .admin: .any],
            .importCases: [.lead: .any, .admin: .any],
            .exportCases: [.admin: .any],
            .viewBoard: [.lead: .any, .admin: .any],
            .answerRuleFlags: [.lead: .any, .admin: .any],
            .setTeamPolicy: [.lead: .team, .admin: .any],
            .manageUsers: [.admin: .any], .manageContent: [.admin: .any],
            .runTraining: [.trainer: .any, .admin: .any],
            .scoreTraining: [.lead: .any, .trainer: .any, .admin: .any],
            .actAs: [.admin: .any],
            .manageData: [.admin: .any],
            .recordSurvey: [.lead: .any, .admin: .any],
            .reviewQuality: [.lead: .any, .trainer: .any, .admin: .any],
            .fileContacts: [.gateway: .any, .admin: .any],
        ]
    }()

    static let representative: [Role: User] = [.agent: alice, .lead: dana, .trainer: tess, .expert: ed, .admin: admin, .gateway: mailgw]

    /// What a condition means, case by case, said independently of the code.
    static func expected(_ c: Condition?, _ s: Scenario, training: Bool) -> Bool {
        switch c {
        case nil: false
        case .any?: true
        case .training?: training
        case .own?: s == .own
        case .queue?: s == .waitingInQueue || s == .sharedQueue
        case .ownOrQueue?: [.own, .waitingInQueue, .sharedQueue].contains(s)
        case .team?: ![.otherTeam, .otherTeamQueue].contains(s)
        case .consulted?: s == .consulted
        }
    }

    @Test func theCodeHoldsTheDocumentedTable() {
        #expect(Set(Policy.table.keys) == Set(Action.allCases), "every action has a row")
        for action in Action.allCases {
            #expect(Policy.table[action] ?? [:] == Self.spec[action] ?? [:], "row \(action.rawValue)")
        }
    }

    @Test(arguments: Action.allCases.filter(\.isOnCase))
    func caseRow(_ action: Action) {
        for role in Role.allCases {
            let me = Self.representative[role]!
            for scenario in Scenario.allCases {
                for training in [false, true] {
                    let context = PolicyContext(facts: Self.facts(scenario, actor: me), training: training)
                    let want = Self.expected(Self.spec[action]?[role], scenario, training: training)
                    let refusal = Policy.decide(me, action, context)
                    #expect((refusal == nil) == want, "\(role) \(action.rawValue) \(scenario) training=\(training): \(refusal?.description ?? "allowed")")
                    if let refusal {
                        // One line naming the user, the action, the case and who may.
                        #expect(refusal.description.hasPrefix("\(me.login) may not \(action.verb) case #"))
                        #expect(refusal.description.contains(" may"))
                        #expect(!refusal.description.contains("\n"))
                    }
                }
            }
        }
    }

    @Test(arguments: Action.allCases.filter { !$0.isOnCase })
    func otherRow(_ action: Action) {
        for role in Role.allCases {
            let me = Self.representative[role]!
            for training in [false, true] {
                // setTeamPolicy: on one's own team, then on another.
                let contexts = action == .setTeamPolicy
                    ? [(PolicyContext(teamId: 1, teamName: "Tier 1", training: training), true),
                       (PolicyContext(teamId: 2, teamName: "Tier 2", training: training), false)]
                    : [(PolicyContext(training: training), true)]
                for (context, ownTeam) in contexts {
                    let cell = Self.spec[action]?[role]
                    let want = cell == .team ? ownTeam : Self.expected(cell, .sharedQueue, training: training)
                    let refusal = Policy.decide(me, action, context)
                    #expect((refusal == nil) == want, "\(role) \(action.rawValue) training=\(training) team=\(context.teamName ?? "-")")
                    if let refusal { #expect(refusal.description.hasPrefix("\(me.login) may not \(action.verb)")) }
                }
            }
        }
    }

    @Test func aDisabledUserMayDoNothing() {
        var bob = Self.bob
        bob.active = false
        for action in Action.allCases {
            let refusal = Policy.decide(bob, action, PolicyContext(facts: Self.facts(.own, actor: bob)))
            #expect(refusal?.description.contains("bob is disabled") == true)
        }
    }

    @Test func aLeadWithNoTeamLeadsEveryone() {
        let raj = Self.user(9, "raj", .lead, team: nil)
        #expect(Policy.allows(raj, .reassign, PolicyContext(facts: Self.facts(.otherTeam, actor: raj))))
        #expect(Policy.allows(raj, .setTeamPolicy, PolicyContext(teamId: 2, teamName: "Tier 2")))
    }

    @Test func refusalsSayWhoMay() {
        let r = Policy.decide(Self.alice, .respond, PolicyContext(facts: Self.facts(.colleagues, actor: Self.alice)))
        #expect(r?.description == "alice may not respond on case #11 (assigned to bob): only its assignee (or an agent of its queue while it waits), a lead of team Tier 1 or an admin may")
        let s = Policy.decide(Self.alice, .setCallType, PolicyContext(facts: Self.facts(.colleagues, actor: Self.alice)))
        #expect(s?.description == "alice may not set the call type of case #11 (assigned to bob): only its assignee (or an agent of its queue while it waits), a lead of team Tier 1 or an admin may")
        let e = Policy.decide(Self.ed, .setCallType, PolicyContext(facts: Self.facts(.consulted, actor: Self.ed)))
        #expect(e?.description.hasPrefix("ed may not set the call type of case #16 (ed is an expert): only its assignee") == true)
        let u = Policy.decide(Self.bob, .manageUsers)
        #expect(u?.description == "bob may not manage users (bob is an agent): only an admin may")
    }
}
