import CaseCore
import Foundation

/// What `P` and `T` change on the open case.
public enum CaseEdit: Equatable, Sendable { case priority, team }

/// The priority form (`P`): P1–P4 and the reason that goes on the timeline.
public struct PriorityForm: Equatable, Sendable {
    public var caseId: Int64
    /// The case's priority when the form opened: preselected, and marked "now".
    public var current: Priority
    public var selected: Priority
    public var reason = ""

    public init(caseId: Int64, current: Priority) {
        self.caseId = caseId; self.current = current; selected = current
    }
}

/// The priority (`P`) and team (`T`) of the open case. The policy is asked first, on the
/// worker (a read), so someone who may not make the change is told before typing a
/// reason; the change itself is an effect on the write queue like every other edit.
enum CaseEditUpdate {
    /// The effects of `P` or `T` on the open case; nil for other commands.
    static func command(_ s: inout DeskState, _ command: Command, _ open: OpenCase) -> [Effect]? {
        switch command {
        case .priority: return [.prepareEdit(.priority, caseId: open.id)]
        case .moveTeam: return [.prepareEdit(.team, caseId: open.id)]
        default: return nil
        }
    }

    /// The policy said yes: the form or the picker opens, if the case is still the one on
    /// screen and nothing else was opened meanwhile.
    static func message(_ s: inout DeskState, _ msg: Msg) -> [Effect] {
        guard case .editAllowed(let edit, let caseId, let teams) = msg, let open = s.open, open.id == caseId, s.overlay == nil else { return [] }
        switch edit {
        case .priority:
            s.overlay = .priority(PriorityForm(caseId: caseId, current: open.detail.record.priority))
        case .team:
            guard !teams.isEmpty else {
                s.notice = Notice(text: "no team to move case #\(caseId) to: teams are made with casedesk user add LOGIN --team NAME", isError: true)
                return []
            }
            let items = teams.map { team in
                Picker.Item(id: team.name, label: team.id == open.detail.record.teamId
                    ? "its team now" + (open.detail.record.assignee == nil ? "" : " (back to the queue)")
                    : team.policy == .manual ? "waits in the queue until someone takes it" : "\(team.policy.label) picks an agent there")
            }
            s.overlay = .picker(Picker(purpose: .team, title: "Move case #\(caseId) to which team's queue?", items: items))
        }
        return []
    }

    static func picked(_ s: inout DeskState, _ purpose: Picker.Purpose, _ id: String) -> [Effect]? {
        guard purpose == .team else { return nil }
        guard let open = s.open else { return [] }
        return [.moveTeam(caseId: open.id, team: id, version: open.version)]
    }

    static func overlayKey(_ s: inout DeskState, _ overlay: Overlay, _ key: Key) -> [Effect]? {
        guard case .priority(var form) = overlay else { return nil }
        let all = Priority.allCases
        switch key {
        case .escape:
            s.overlay = nil
            return []
        case .up, .ctrl("p"): form.selected = all[max(0, all.firstIndex(of: form.selected)! - 1)]
        case .down, .ctrl("n"), .tab: form.selected = all[min(all.count - 1, all.firstIndex(of: form.selected)! + 1)]
        case .backspace: if !form.reason.isEmpty { form.reason.removeLast() }
        case .char(let c): form.reason.append(c)
        case .enter:
            guard let open = s.open, open.id == form.caseId else { s.overlay = nil; return [] }
            do {
                let reason = try CaseStore.priorityReason(form.reason)
                s.overlay = nil
                return [.setPriority(caseId: open.id, priority: form.selected, reason: reason, version: open.version)]
            } catch {
                s.notice = Notice(text: "\(error)", isError: true)   // the form stays open
            }
        default: break
        }
        s.overlay = .priority(form)
        return []
    }
}
