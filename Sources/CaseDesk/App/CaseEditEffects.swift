import CaseCore
import Foundation

/// The priority and team effects, run on the worker; a refusal or a conflict is thrown
/// to `perform`, which turns it into the notice (or the conflict picker) every edit gets.
extension Desk {
    func performCaseEdit(_ effect: Effect) throws -> [Msg] {
        let login = state.me.login
        switch effect {
        case .prepareEdit(let edit, let id):
            try store.require(login, edit == .priority ? .setPriority : .reassign, case: id)
            return [.editAllowed(edit, caseId: id, teams: edit == .team ? try store.teams() : [])]
        case .setPriority(let id, let priority, let reason, let version):
            try store.setPriority(id, to: priority, reason: reason, by: login, expectedVersion: version)
            return [.succeeded("case #\(id) is now \(priority) · \(reason)"), .dataChanged]
        case .moveTeam(let id, let team, let version):
            try store.moveToTeam(id, team: team, by: login, expectedVersion: version)
            return [.succeeded("case #\(id) moved to the \(team) queue"), .dataChanged]
        default:
            return []
        }
    }
}
