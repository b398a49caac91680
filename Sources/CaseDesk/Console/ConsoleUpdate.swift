import CaseCore
import Foundation

/// The console's logic: a message in, the new state and the effects out. No terminal, no SQL.
public enum ConsoleUpdate {
    public static func update(_ s: inout ConsoleState, _ msg: ConsoleMsg) -> [ConsoleEffect] {
        switch msg {
        case .key(let key):
            s.notice = nil
            return self.key(&s, key)
        case .resize(let size): s.size = size; return []
        case .tick(let now): s.now = now; return []
        case .dataChanged: return [.load]
        case .loaded(let rows):
            s.rows = rows
            s.selected = min(s.selected, max(0, rows.count - 1))
            return []
        case .succeeded(let text): s.notice = Notice(text: text, isError: false); return []
        case .failed(let text): s.notice = Notice(text: text, isError: true); return []
        }
    }

    static func key(_ s: inout ConsoleState, _ key: Key) -> [ConsoleEffect] {
        switch s.mode {
        case .normal: return normalKey(&s, key)
        case .help:
            s.mode = .normal
            return []
        case .branch(let selected):
            let options = branchOptions(s)
            switch key {
            case .escape: s.mode = .normal
            case .down, .char("j"): s.mode = .branch(selected: min(selected + 1, max(0, options.count - 1)))
            case .up, .char("k"): s.mode = .branch(selected: max(0, selected - 1))
            case .enter:
                s.mode = .normal
                guard let line = s.selectedRow?.nextLine, options.indices.contains(selected) else { return [] }
                let o = options[selected]
                return [.say(logins: s.targets, text: o.say, lineId: line.id, branch: o.label)]
            default: break
            }
            return []
        case .typing(let text):
            switch key {
            case .escape: s.mode = .normal
            case .backspace: s.mode = .typing(String(text.dropLast()))
            case .enter:
                s.mode = .normal
                let t = text.trimmingCharacters(in: .whitespaces)
                return t.isEmpty ? [] : [.say(logins: s.targets, text: t, lineId: nil, branch: nil)]
            case .char(let c): s.mode = .typing(text + String(c))
            default: break
            }
            return []
        case .criterion(let selected):
            let rubric = s.session.scenario.rubric
            switch key {
            case .escape: s.mode = .normal
            case .down, .char("j"): s.mode = .criterion(selected: min(selected + 1, rubric.count - 1))
            case .up, .char("k"): s.mode = .criterion(selected: max(0, selected - 1))
            case .enter where rubric.indices.contains(selected): s.mode = .scoreValue(criterion: rubric[selected].id, text: "")
            default: break
            }
            return []
        case .scoreValue(let criterion, let text):
            switch key {
            case .escape: s.mode = .normal
            case .backspace: s.mode = .scoreValue(criterion: criterion, text: String(text.dropLast()))
            case .char(let c) where c.isNumber: s.mode = .scoreValue(criterion: criterion, text: text + String(c))
            case .enter:
                guard let n = Int(text), let row = s.selectedRow else { return [] }
                s.mode = .normal
                return [.score(trainee: row.login, criterion: criterion, score: n)]
            default: break
            }
            return []
        }
    }

    /// Keys come through the same keymap table as the desk's (context `console`),
    /// so the hint line and `?` can never drift from them.
    static func normalKey(_ s: inout ConsoleState, _ key: Key) -> [ConsoleEffect] {
        guard let command = Keymap.command(for: key, in: .console) else { return [] }
        switch command {
        case .moveDown: s.selected = min(s.selected + 1, max(0, s.rows.count - 1)); s.toAll = false
        case .moveUp: s.selected = max(0, s.selected - 1); s.toAll = false
        case .toggleAll: s.toAll.toggle()
        case .sayNext:
            guard !s.targets.isEmpty else { return [] }
            return [.sayNext(logins: s.targets)]
        case .sayBranch:
            guard s.selectedRow?.nextLine != nil else {
                s.notice = Notice(text: "no scripted line left for \(s.selectedRow?.login ?? "this trainee"): type one with t", isError: true)
                return []
            }
            let suggested = branchOptions(s).firstIndex { $0.label == s.selectedRow?.suggested?.label } ?? 0
            s.mode = .branch(selected: suggested)
        case .sayTyped: s.mode = .typing("")
        case .score:
            guard s.selectedRow != nil, !s.session.scenario.rubric.isEmpty else { return [] }
            s.mode = .criterion(selected: 0)
        case .help: s.mode = .help
        case .quit: s.quitting = true
        default: break
        }
        return []
    }

    /// The main line first, then its branches.
    public static func branchOptions(_ s: ConsoleState) -> [(label: String, say: String)] {
        guard let line = s.selectedRow?.nextLine else { return [] }
        return [(label: "main line", say: line.say)] + line.branches.map { (label: $0.label, say: $0.say) }
    }
}
