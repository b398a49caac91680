import CaseCore
import Foundation

/// Everything that can happen to the desk: keys, time, other people's commits,
/// and the results of effects the runtime ran.
public enum Msg: Sendable {
    case key(Key)
    case resize(ScreenSize)
    case tick(Date)
    /// Someone (this desk or another process) committed a change.
    case dataChanged
    case queueLoaded(QueuePage)
    case caseLoaded(CaseDetail, Script?)
    case caseGone(Int64)
    case reference(callTypes: [CallType], resolutionCodes: [ResolutionCode], experts: [User])
    case succeeded(String)
    case failed(String)
    /// `$EDITOR` came back with this text (nil: left unchanged or failed).
    case edited(text: String?, caseId: Int64, responseId: String?)
    case agents([User])
    case boardLoaded(Board)
    /// Events committed since the desk last looked (the change feed).
    case feed([CaseEvent])
    case presence(caseId: Int64, [Presence])
    /// Someone changed the case first; `retry` is the change the user may apply again.
    case conflict(String, retry: Effect)
    case counts(QueueCounts)
    case customerMatches(query: String, [Customer])
    case customerLoaded(CustomerHistory)
    case searchResults(query: String, SearchResults)
    /// A search the core refused (empty, nothing to search for): said in the search overlay.
    case searchFailed(query: String, String)
    case followUpsDue([Int64])
    case intakeCreated(caseId: Int64, channel: Channel)
    /// The policy lets this desk's user make `edit` on the case (with the teams, for a move).
    case editAllowed(CaseEdit, caseId: Int64, teams: [Team])
}

public struct QueueCounts: Equatable, Sendable {
    public var view: QueueView
    public var open: Int
    public var atRisk: Int
}

public struct QueuePage: Equatable, Sendable {
    public var view: QueueView
    public var request: PageRequest
    public var rows: [QueueRow]
    /// Present when the view was (re)counted with this page.
    public var counts: QueueCounts?
    /// The page came back full: there may be more beyond it.
    public var full: Bool
    /// With a first page of "mine": pending cases whose follow-up time has come.
    public var followUps: [QueueRow] = []
}

/// Work for the runtime: reads and writes through CaseCore, and `$EDITOR`.
public enum Effect: Equatable, Sendable {
    case loadQueue(QueueView, PageRequest, limit: Int)
    case loadCase(Int64)
    case loadReference
    case takeNext
    case setCallType(caseId: Int64, code: String, version: Int)
    case respond(caseId: Int64, text: String, responseId: String?, version: Int)
    case editResponse(caseId: Int64, text: String, responseId: String?)
    case note(caseId: Int64, text: String, version: Int)
    case stepDone(caseId: Int64, stepId: String, answer: String?, version: Int)
    case resolve(caseId: Int64, code: String, csat: Int?, version: Int)
    case flagRule(caseId: Int64, rule: String)
    case consult(caseId: Int64, expert: String, question: String)
    case startWork(caseId: Int64)
    case stopWork
    case loadBoard
    case reassign(ids: [Int64], to: String?, reason: String?)
    case readFeed
    case heartbeat(caseId: Int64?, typing: Bool)
    case loadPresence(caseId: Int64)
    case refreshCounts(QueueView)
    case findCustomers(String)
    case loadCustomer(Int64)
    case search(String)
    case intake(IntakeDraft)
    case contact(caseId: Int64, channel: Channel, text: String, version: Int)
    case pending(caseId: Int64, until: Date?, version: Int)
    case checkFollowUps
    /// Asks the policy (a read) before the priority form or the team picker opens.
    case prepareEdit(CaseEdit, caseId: Int64)
    case setPriority(caseId: Int64, priority: Priority, reason: String, version: Int)
    case moveTeam(caseId: Int64, team: String, version: Int)

    /// The same change against the version now on screen (after a conflict).
    func withVersion(_ v: Int) -> Effect {
        switch self {
        case .setCallType(let id, let code, _): .setCallType(caseId: id, code: code, version: v)
        case .respond(let id, let text, let rid, _): .respond(caseId: id, text: text, responseId: rid, version: v)
        case .note(let id, let text, _): .note(caseId: id, text: text, version: v)
        case .stepDone(let id, let step, let answer, _): .stepDone(caseId: id, stepId: step, answer: answer, version: v)
        case .resolve(let id, let code, let csat, _): .resolve(caseId: id, code: code, csat: csat, version: v)
        case .contact(let id, let channel, let text, _): .contact(caseId: id, channel: channel, text: text, version: v)
        case .pending(let id, let until, _): .pending(caseId: id, until: until, version: v)
        case .setPriority(let id, let p, let reason, _): .setPriority(caseId: id, priority: p, reason: reason, version: v)
        case .moveTeam(let id, let team, _): .moveTeam(caseId: id, team: team, version: v)
        default: self
        }
    }
}
