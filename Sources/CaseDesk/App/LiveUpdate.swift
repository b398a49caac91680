import CaseCore
import Foundation

/// The live-team half of the update: the lead board, bulk reassignment, presence
/// heartbeats and notices from the change feed.
enum LiveUpdate {
    static func boardCommand(_ s: inout DeskState, _ command: Command) -> [Effect] {
        switch command {
        case .board:
            if let refusal = Policy.decide(s.me, .viewBoard) {
                s.notice = Notice(text: refusal.description, isError: true)
                return []
            }
            s.mode = s.mode == .board ? .desk : .board
            return s.mode == .board ? [.loadBoard] : []
        case .qaQueue:
            guard Policy.allows(s.me, .reviewQuality) else { return [] }
            s.boardShowsQA.toggle()
            s.boardSelected = 0; s.boardMarked = []
            return []
        case .mark:
            guard s.mayReassignOthers else { return [] }
            if s.mode == .board {
                guard let row = selectedRisk(s) else { return [] }
                s.boardMarked.formSymmetricDifference([row.id])
                s.boardSelected = min(s.boardSelected + 1, max(0, s.boardRows.count - 1))
            } else if s.focus == .queue, let row = s.queue.selectedRow {
                s.queue.marked.formSymmetricDifference([row.id])
                return DeskUpdate.move(&s, by: 1)
            }
            return []
        case .assign:
            guard s.mayReassignOthers else {
                s.notice = Notice(text: "only a team lead or an admin reassigns other people's cases", isError: true)
                return []
            }
            let ids: [Int64]
            if s.mode == .board {
                ids = s.boardMarked.isEmpty ? selectedRisk(s).map { [$0.id] } ?? [] : s.boardMarked.sorted()
            } else {
                ids = s.queue.marked.isEmpty ? (s.focus == .queue ? s.queue.selectedRow : nil).map { [$0.id] } ?? s.open.map { [$0.id] } ?? [] : s.queue.marked.sorted()
            }
            guard !ids.isEmpty else { return [] }
            let items = s.agents.map { agent -> Picker.Item in
                let load = s.board?.agents.first { $0.login == agent.login }.map { " · \($0.openCases) open" } ?? ""
                return Picker.Item(id: agent.login, label: agent.name + load)
            } + [Picker.Item(id: "-", label: "back to the queue")]
            s.overlay = .picker(Picker(purpose: .assignTo(ids: ids),
                                       title: ids.count == 1 ? "Move case #\(ids[0]) to" : "Move \(ids.count) cases to", items: items))
            return []
        case .open where s.mode == .board:
            guard let row = selectedRisk(s) else { return [] }
            s.mode = .desk
            s.focus = DeskLayout(s.size).mode == .stacked ? .caseDetail : .queue
            return [.loadCase(row.id)]
        case .moveDown, .moveUp, .pageDown, .pageUp, .first, .last:
            let count = s.boardRows.count
            let page = max(1, s.size.rows / 2)
            let delta: Int = switch command {
            case .moveDown: 1
            case .moveUp: -1
            case .pageDown: page
            case .pageUp: -page
            case .first: -count
            default: count
            }
            s.boardSelected = max(0, min(count - 1, s.boardSelected + delta))
            return []
        case .help, .quit, .commandLine:
            return DeskUpdate.run(&s, command)
        default:
            return []
        }
    }

    static func selectedRisk(_ s: DeskState) -> QueueRow? {
        let rows = s.boardRows
        guard rows.indices.contains(s.boardSelected) else { return nil }
        return rows[s.boardSelected]
    }

    /// On each tick (every two seconds): say we are here (and on which case, typing
    /// or not), and see who else has the open case on screen.
    static func heartbeat(_ s: inout DeskState) -> [Effect] {
        var typing = false
        if case .input? = s.overlay { typing = true }
        var effects: [Effect] = [.heartbeat(caseId: s.open?.id, typing: typing)]
        if let open = s.open { effects.append(.loadPresence(caseId: open.id)) }
        if s.mode == .board { effects.append(.loadBoard) }
        return effects
    }

    /// A case moved to or away from me by someone else gets a notice naming who and why.
    static func feed(_ s: inout DeskState, _ events: [CaseEvent]) {
        for e in events where e.kind == .assign && e.actor != s.me.login {
            let by = e.actor ?? "the assignment policy"
            let why = e.body.map { ": \($0)" } ?? ""
            if e.newValue == s.me.login {
                s.notice = Notice(text: "case #\(e.caseId) moved to you by \(by)\(why)", isError: false)
            } else if e.oldValue == s.me.login {
                s.notice = Notice(text: "case #\(e.caseId) moved to \(e.newValue ?? "the queue") by \(by)\(why)", isError: s.open?.id == e.caseId)
            }
        }
    }
}
