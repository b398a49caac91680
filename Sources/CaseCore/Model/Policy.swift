import Foundation

/// Who may do what: the one rule book, asked by the desk, the board, the trainer
/// console and every command through the core. A table of actions × roles, each cell
/// a condition on the case (or nothing: refused), and one refusal format.
///
/// To add an action: a case in `Action` (its words in `verb`), a row in `table`.
/// To add a role: a case in `Role`, a column in each row that allows it.
public enum Action: String, CaseIterable, Sendable {
    // on a case
    case view, note, respond, setCallType = "set-call-type", setPriority = "set-priority", setStatus = "set-status"
    case completeStep = "complete-step", logContact = "log-contact"
    case resolve, recordCSAT = "record-csat", flagRule = "flag-rule", consult, answerConsult = "answer-consult"
    case take, release, reassign
    // not on a case
    case listCases = "list-cases", createCase = "create-case", importCases = "import-cases", exportCases = "export-cases"
    case viewBoard = "view-board", answerRuleFlags = "answer-rule-flags", setTeamPolicy = "set-team-policy"
    case manageUsers = "manage-users", manageContent = "manage-content", runTraining = "run-training"
    case scoreTraining = "score-training", actAs = "act-as", manageData = "manage-data"
    case recordSurvey = "record-survey", reviewQuality = "review-quality", fileContacts = "file-contacts"

    /// The words of a refusal: "bob may not \(verb) case #12".
    public var verb: String {
        switch self {
        case .view: "see"
        case .note: "add a note to"
        case .respond: "respond on"
        case .setCallType: "set the call type of"
        case .setPriority: "set the priority of"
        case .setStatus: "set the status of"
        case .completeStep: "work the script of"
        case .logContact: "log a customer contact on"
        case .resolve: "resolve"
        case .recordCSAT: "record CSAT on"
        case .flagRule: "flag a rule on"
        case .consult: "consult an expert on"
        case .answerConsult: "answer the consult on"
        case .take: "take"
        case .release: "put back in the queue"
        case .reassign: "reassign"
        case .listCases: "list cases"
        case .createCase: "create cases"
        case .importCases: "import cases"
        case .exportCases: "export cases"
        case .viewBoard: "open the lead board"
        case .answerRuleFlags: "answer rule flags"
        case .setTeamPolicy: "set the assignment policy of"
        case .manageUsers: "manage users"
        case .manageContent: "manage content packs"
        case .runTraining: "run training"
        case .scoreTraining: "score trainees"
        case .actAs: "act as another user"
        case .manageData: "look after the data (backups, restores, retention, a customer's export or erasure)"
        case .recordSurvey: "record survey CSAT (csat record, csat import)"
        case .reviewQuality: "do quality reviews (qa review, qa calibrate, qa queue)"
        case .fileContacts: "file and send channel contacts (casedesk mail, casedesk ingest)"
        }
    }

    /// Actions whose object is a case (the rest name a team or nothing).
    public var isOnCase: Bool { Action.caseActions.contains(self) }
    static let caseActions: Set<Action> = [.view, .note, .respond, .setCallType, .setPriority, .setStatus, .completeStep,
                                           .logContact, .resolve, .recordCSAT, .flagRule, .consult,
                                           .answerConsult, .take, .release, .reassign]
}

/// What a cell of the table asks of the case (or team) at hand.
public enum Condition: Sendable, Equatable {
    /// Any case (or always, for actions on no case).
    case any
    /// A case assigned to them.
    case own
    /// A case assigned to them, or waiting unassigned in a queue they serve.
    case ownOrQueue
    /// A case waiting unassigned in a queue they serve.
    case queue
    /// A case of their team: filed to it, held by one of its people, or in the shared
    /// queue. A lead with no team leads everyone. For `setTeamPolicy`: their own team.
    case team
    /// A case they were consulted on (an expert).
    case consulted
    /// Any case, in a training database only.
    case training
}

/// The facts about a case that the rules look at, read inside the same transaction as the change.
public struct CaseFacts: Sendable, Equatable {
    public var id: Int64
    public var assigneeId: Int64?
    public var assignee: String?
    public var teamId: Int64?
    public var team: String?
    /// The team of the person holding the case.
    public var assigneeTeamId: Int64?
    public var callType: String?
    /// Experts a consult on this case was put to.
    public var consultedExperts: Set<Int64>
    public init(id: Int64, assigneeId: Int64? = nil, assignee: String? = nil, teamId: Int64? = nil, team: String? = nil,
                assigneeTeamId: Int64? = nil, callType: String? = nil, consultedExperts: Set<Int64> = []) {
        self.id = id; self.assigneeId = assigneeId; self.assignee = assignee; self.teamId = teamId; self.team = team
        self.assigneeTeamId = assigneeTeamId; self.callType = callType; self.consultedExperts = consultedExperts
    }
}

/// What the rule is asked about: a case, a team, or nothing; and whether the database is a training one.
public struct PolicyContext: Sendable, Equatable {
    public var facts: CaseFacts?
    /// For `setTeamPolicy`: the team's id and name.
    public var teamId: Int64?
    public var teamName: String?
    public var training: Bool
    public init(facts: CaseFacts? = nil, teamId: Int64? = nil, teamName: String? = nil, training: Bool = false) {
        self.facts = facts; self.teamId = teamId; self.teamName = teamName; self.training = training
    }
    public static let none = PolicyContext()
}

/// A refusal: who, what, on which case, and who may. One line.
public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var login: String
    public var action: Action
    public var object: String?
    public var why: String?
    public var whoMay: String

    public var description: String {
        "\(login) may not \(action.verb)\(object.map { " \($0)" } ?? "")\(why.map { " (\($0))" } ?? ""): \(whoMay)"
    }
}

public enum Policy {
    private static let everyone: [Role: Condition] = [.agent: .any, .lead: .any, .trainer: .any, .admin: .any]
    private static let casework: [Role: Condition] = [.agent: .ownOrQueue, .lead: .team, .trainer: .training, .admin: .any]

    /// The table. A role missing from a row may not do that at all.
    public static let table: [Action: [Role: Condition]] = [
        .view: [.agent: .any, .lead: .any, .trainer: .any, .expert: .consulted, .admin: .any],
        // Whoever answers the customer's call back records it, as anyone may add a note.
        .note: everyone, .logContact: everyone,
        .respond: casework, .setCallType: casework, .setPriority: casework, .setStatus: casework,
        .completeStep: casework, .resolve: casework,
        .recordCSAT: casework, .flagRule: everyone, .consult: casework,
        .answerConsult: [.expert: .consulted],
        .take: [.agent: .queue, .lead: .team, .trainer: .training, .admin: .any],
        .release: [.agent: .own, .lead: .team, .trainer: .training, .admin: .any],
        .reassign: [.agent: .own, .lead: .team, .trainer: .training, .admin: .any],
        .listCases: everyone,
        .createCase: [.agent: .any, .lead: .any, .trainer: .training, .admin: .any],
        .importCases: [.lead: .any, .admin: .any],
        .exportCases: [.admin: .any],
        .viewBoard: [.lead: .any, .admin: .any],
        .answerRuleFlags: [.lead: .any, .admin: .any],
        .setTeamPolicy: [.lead: .team, .admin: .any],
        .manageUsers: [.admin: .any],
        .manageContent: [.admin: .any],
        .runTraining: [.trainer: .any, .admin: .any],
        .scoreTraining: [.lead: .any, .trainer: .any, .admin: .any],
        .actAs: [.admin: .any],
        .manageData: [.admin: .any],
        .recordSurvey: [.lead: .any, .admin: .any],
        .reviewQuality: [.lead: .any, .trainer: .any, .admin: .any],
        .fileContacts: [.gateway: .any, .admin: .any],
    ]

    /// nil: allowed. Otherwise the refusal to show.
    public static func decide(_ user: User, _ action: Action, _ context: PolicyContext = .none) -> Refusal? {
        let row = table[action] ?? [:]
        let object = objectText(action, context)
        if !user.active {
            return Refusal(login: user.login, action: action, object: object, why: "\(user.login) is disabled",
                           whoMay: "an admin re-enables them with: casedesk user enable \(user.login)")
        }
        if let condition = row[user.role], holds(condition, user, action, context) { return nil }
        return Refusal(login: user.login, action: action, object: object, why: why(user, action, context),
                       whoMay: whoMay(action, context))
    }

    public static func allows(_ user: User, _ action: Action, _ context: PolicyContext = .none) -> Bool {
        decide(user, action, context) == nil
    }

    /// The cell of the table for this user: how far the action reaches for them, before
    /// any case is at hand (nil: never, or a disabled user). The desk asks it to decide
    /// which keys to offer, e.g. reassigning other people's cases (`.team` or `.any`).
    public static func reach(_ user: User, _ action: Action) -> Condition? {
        user.active ? table[action]?[user.role] : nil
    }

    /// Throws the refusal as the core's error: one line, nothing written.
    public static func require(_ user: User, _ action: Action, _ context: PolicyContext = .none) throws {
        if let refusal = decide(user, action, context) { throw CaseError.notAllowed(refusal.description) }
    }

    static func holds(_ condition: Condition, _ user: User, _ action: Action, _ context: PolicyContext) -> Bool {
        let f = context.facts
        switch condition {
        case .any:
            return true
        case .training:
            return context.training
        case .own:
            guard let f else { return false }
            return f.assigneeId == user.id
        case .queue:
            guard let f else { return false }
            return serves(user, f)
        case .ownOrQueue:
            guard let f else { return false }
            return f.assigneeId == user.id || serves(user, f)
        case .consulted:
            guard let f else { return false }
            return f.consultedExperts.contains(user.id)
        case .team:
            guard let myTeam = user.teamId else { return true }
            if action == .setTeamPolicy { return context.teamId == myTeam }
            guard let f else { return !action.isOnCase }
            return f.teamId == nil || f.teamId == myTeam || f.assigneeTeamId == myTeam
        }
    }

    /// A queue they serve: waiting unassigned, filed to their team or to none. (Skills only
    /// route: take-next prefers what they handle; they do not fence a case off.)
    static func serves(_ user: User, _ f: CaseFacts) -> Bool {
        f.assigneeId == nil && (f.teamId == nil || f.teamId == user.teamId)
    }

    static func objectText(_ action: Action, _ context: PolicyContext) -> String? {
        if let f = context.facts { return "case #\(f.id)" }
        if action == .setTeamPolicy { return "team \(context.teamName ?? "?")" }
        return nil
    }

    static func why(_ user: User, _ action: Action, _ context: PolicyContext) -> String? {
        let role = "\(user.login) is \(article(user.role.rawValue)) \(user.role.rawValue)"
        guard action.isOnCase, let f = context.facts else { return role }
        if user.role == .expert { return role }
        if let assignee = f.assignee { return f.assigneeId == user.id ? "assigned to them" : "assigned to \(assignee)" }
        if let team = f.team, f.teamId != user.teamId { return "waiting in the \(team) queue" }
        return "waiting in the queue"
    }

    /// "its assignee, a lead of Tier 1 or an admin may", from the table itself.
    static func whoMay(_ action: Action, _ context: PolicyContext) -> String {
        let row = table[action] ?? [:]
        let team = context.facts?.team ?? context.teamName
        var who: [String] = []
        for role in Role.allCases {
            guard let condition = row[role], condition != .training || context.training else { continue }
            switch (role, condition) {
            case (_, .any): who.append(article(role.rawValue) + " " + role.rawValue)
            case (_, .own): who.append("its assignee")
            case (_, .queue): who.append("an \(role.rawValue) of its queue")
            case (_, .ownOrQueue): who.append("its assignee (or an \(role.rawValue) of its queue while it waits)")
            case (_, .team): who.append("a \(role.rawValue)" + (team.map { " of team \($0)" } ?? ""))   // no team: the shared queue, any lead
            case (_, .consulted): who.append("the \(role.rawValue) consulted on it")
            case (_, .training): who.append("a \(role.rawValue) of this training database")
            }
        }
        guard !who.isEmpty else { return "no one may" }
        let list = who.count == 1 ? who[0] : who.dropLast().joined(separator: ", ") + " or " + who.last!
        return "only " + list + " may"
    }

    static func article(_ word: String) -> String { "aeiou".contains(word.first ?? "x") ? "an" : "a" }
}
