import Foundation

/// Every refusal the core can give, each with one line a person can act on.
public enum CaseError: Error, Equatable, CustomStringConvertible, Sendable {
    case noSuchCase(Int64)
    case noSuchUser(String)
    case noSuchCallType(String)
    case noSuchResolutionCode(String)
    case noSuchTeam(String)
    case conflict(caseId: Int64, by: String, version: Int)
    case notAllowed(String)
    case invalid(String)
    case nothingToTake
    case schemaTooNew(found: Int, supported: Int)
    case notADatabase(String)
    case alreadyExists(String)

    public var description: String {
        switch self {
        case .noSuchCase(let id): "no case #\(id)"
        case .noSuchUser(let login): "no user '\(login)' (add one with: casedesk user add \(login) --role agent)"
        case .noSuchCallType(let code): "unknown call type '\(code)'"
        case .noSuchResolutionCode(let code): "unknown resolution code '\(code)'"
        case .noSuchTeam(let name): "no team '\(name)'"
        case .conflict(let id, let by, let version):
            "case #\(id) was changed by \(by) meanwhile (now version \(version)); reload it and apply your change again"
        case .notAllowed(let why): why
        case .invalid(let why): why
        case .nothingToTake: "no case is waiting for you"
        case .schemaTooNew(let found, let supported):
            "the database has schema version \(found), newer than this casedesk understands (\(supported)); use a newer casedesk"
        case .notADatabase(let path): "\(path) is not a CaseDesk database (corrupt or another kind of file)"
        case .alreadyExists(let what): "\(what) already exists"
        }
    }
}
