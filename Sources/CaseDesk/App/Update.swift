import CaseCore
import Foundation

/// The desk's logic: a message in, the new state and the effects to run out.
/// No terminal, no SQL: tests drive it with messages alone.
public enum DeskUpdate {
    static let idleAfter: TimeInterval = 300

    public static func update(_ s: inout DeskState, _ msg: Msg) -> [Effect] {
        switch msg {
        case .key(let key):
            s.lastInput = s.now
            s.notice = nil
            if let overlay = s.overlay { return ContactUpdate.overlayKey(&s, overlay, key) ?? CaseEditUpdate.overlayKey(&s, overlay, key) ?? overlayKey(&s, overlay, key) }
            guard let command = Keymap.command(for: key, in: s.context, lead: s.isLead) else { return [] }
            if s.mode == .board { return LiveUpdate.boardCommand(&s, command) }
            return run(&s, command)
        case .resize(let size):
            s.size = size
            QueueWindow.clamp(&s)
            return []
        case .tick(let now):
            // The screen shows minutes: a new `now` (and so a redraw) once a minute.
            if Int(now.timeIntervalSince1970 / 60) != Int(s.now.timeIntervalSince1970 / 60) { s.now = now }
            var effects = LiveUpdate.heartbeat(&s)
            if s.queue.countsStale { effects.append(.refreshCounts(s.queue.view)) }
            if s.queue.view == .mine { effects.append(.checkFollowUps) }
            return effects
        case .customerMatches, .customerLoaded, .searchResults, .searchFailed, .followUpsDue, .intakeCreated:
            return ContactUpdate.message(&s, msg)
        case .editAllowed: return CaseEditUpdate.message(&s, msg)
        case .counts(let counts):
            guard counts.view == s.queue.view else { return [] }
            s.queue.openCount = counts.open; s.queue.riskCount = counts.atRisk; s.queue.countsStale = false
            return []
        case .dataChanged:
            // Every change to a case appends an event: the feed says whether anything
            // on screen can have changed (presence heartbeats, say, add none).
            return [.readFeed]
        case .agents(let agents):
            s.agents = agents
            return []
        case .boardLoaded(let board):
            s.board = board
            s.boardSelected = max(0, min(s.boardSelected, s.boardRows.count - 1))
            s.boardMarked = s.boardMarked.intersection(s.boardRows.map(\.id))
            return []
        case .feed(let events):
            guard !events.isEmpty else { return [] }
            LiveUpdate.feed(&s, events)
            var effects = [QueueWindow.reload(s)]
            if let open = s.open { effects.append(.loadCase(open.id)) }
            if s.mode == .board { effects.append(.loadBoard) }
            return effects
        case .presence(let caseId, let others):
            if s.open?.id == caseId { s.presence = others }
            return []
        case .conflict(let text, let retry):
            s.notice = Notice(text: text, isError: true)
            s.retry = retry
            s.overlay = .picker(Picker(purpose: .conflict, title: "Your change was not saved",
                                       items: [Picker.Item(id: "apply", label: "apply my change to the case as it is now"),
                                               Picker.Item(id: "drop", label: "drop my change")]))
            return []
        case .queueLoaded(let page):
            return QueueWindow.apply(&s, page)
        case .caseLoaded(let detail, let script):
            return caseLoaded(&s, detail, script)
        case .caseGone(let id):
            if s.open?.id == id { s.open = nil } else { s.notice = Notice(text: "no case #\(id)", isError: true) }
            return []
        case .reference(let callTypes, let codes, let experts):
            s.callTypes = callTypes; s.resolutionCodes = codes; s.experts = experts
            return []
        case .succeeded(let text):
            s.notice = Notice(text: text, isError: false)
            return []
        case .failed(let text):
            s.notice = Notice(text: text, isError: true)
            return []
        case .edited(let text, let caseId, let responseId):
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                s.notice = Notice(text: "response not sent: the editor left it empty", isError: true)
                return []
            }
            guard let open = s.open, open.id == caseId else { return [] }
            return [.respond(caseId: caseId, text: text, responseId: responseId, version: open.version)]
        }
    }

    // MARK: commands

    static func run(_ s: inout DeskState, _ command: Command) -> [Effect] {
        if let effects = ContactUpdate.command(&s, command) { return effects }
        switch command {
        case .moveDown: return move(&s, by: 1)
        case .moveUp: return move(&s, by: -1)
        case .pageDown: return move(&s, by: page(s))
        case .pageUp: return move(&s, by: -page(s))
        case .first:
            if s.focus == .queue {
                s.queue.selected = 0; s.queue.top = 0
                return s.queue.moreBefore ? [QueueWindow.load(s, .first)] : []
            }
            return move(&s, by: -100_000)
        case .last:
            if s.focus == .queue {
                if s.queue.moreAfter { return [QueueWindow.load(s, .last)] }
                return move(&s, by: s.queue.rows.count)
            }
            return move(&s, by: 100_000)
        case .nextPane:
            s.focus = Pane(rawValue: (s.focus.rawValue + 1) % Pane.allCases.count)!
            return []
        case .previousPane:
            s.focus = Pane(rawValue: (s.focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
            return []
        case .open:
            guard let row = s.queue.selectedRow else { return [] }
            if DeskLayout(s.size).mode == .stacked { s.focus = .caseDetail }
            return [.loadCase(row.id)]
        case .takeNext:
            return [.takeNext]
        case .help:
            s.overlay = .help
            return []
        case .quit:
            s.quitting = true
            return [.stopWork]
        case .board, .mark, .assign:
            return LiveUpdate.boardCommand(&s, command)
        case .commandLine:
            s.overlay = .input(TextInput(purpose: .commandLine, title: "Open case number"))
            return []
        case .filter:
            var items = [Picker.Item(id: "mine", label: "my open cases"),
                         Picker.Item(id: "waiting", label: "waiting: unassigned cases"),
                         Picker.Item(id: "risk", label: "at risk: due within the hour or overdue"),
                         Picker.Item(id: "all", label: "all open cases")]
            items += s.callTypes.map { Picker.Item(id: $0.code, label: $0.name) }
            s.overlay = .picker(Picker(purpose: .filter, title: "Show in the queue", items: items))
            return []
        default:
            break
        }
        // Everything below works on the open case.
        guard let open = s.open else {
            s.notice = Notice(text: "open a case first: Enter on a queue row, or n for the next one", isError: true)
            return []
        }
        if let effects = CaseEditUpdate.command(&s, command, open) { return effects }
        switch command {
        case .setCallType:
            s.overlay = .picker(Picker(purpose: .callType, title: "Call type for case #\(open.id)",
                                       items: s.callTypes.map { Picker.Item(id: $0.code, label: $0.name) }))
        case .respond, .editRespond:
            guard open.responses.indices.contains(open.response) else {
                s.notice = Notice(text: open.script == nil ? "no script for this call type: press c to set one" : "this step has no standardized response", isError: true)
                return []
            }
            let template = open.responses[open.response]
            let text = ResponseFiller.fill(template, detail: open.detail, agent: s.me, timeZone: s.timeZone)
            let rid = responseId(open, template)
            if command == .respond, let missing = ResponseFiller.unfilled(text).first {
                s.notice = Notice(text: "not sent: nothing on case #\(open.id) fills {{\(missing)}}; press e to edit the response first", isError: true)
                return []
            }
            return command == .respond
                ? [.respond(caseId: open.id, text: text, responseId: rid, version: open.version)]
                : [.editResponse(caseId: open.id, text: text, responseId: rid)]
        case .note:
            s.overlay = .input(TextInput(purpose: .note, title: "Note on case #\(open.id)"))
        case .stepDone:
            guard let step = open.position?.current else {
                s.notice = Notice(text: open.script == nil ? "no script yet: press c to set the call type" : "the script is complete", isError: true)
                return []
            }
            if let question = step.question, !step.choices.isEmpty {
                s.overlay = .picker(Picker(purpose: .answer(stepId: step.id), title: question,
                                           items: step.choices.map { Picker.Item(id: $0.answer, label: "→ " + $0.next) }))
                return []
            }
            return [.stepDone(caseId: open.id, stepId: step.id, answer: nil, version: open.version)]
        case .resolve:
            s.overlay = .picker(Picker(purpose: .resolutionCode, title: "Resolve case #\(open.id)",
                                       items: s.resolutionCodes.map { Picker.Item(id: $0.code, label: $0.name) }))
        case .flagRule:
            s.overlay = .input(TextInput(purpose: .flagRule, title: "Which rule forced a \"no\"?"))
        case .consult:
            s.overlay = .picker(Picker(purpose: .expert, title: "Consult an expert",
                                       items: s.experts.map { Picker.Item(id: $0.login, label: "\($0.name) · \($0.department)") }))
        default:
            break
        }
        return []
    }

    static func responseId(_ open: OpenCase, _ template: ResponseTemplate) -> String {
        ResponseFiller.fullId(step: open.position?.current?.id, response: template.id)
    }

    static func page(_ s: DeskState) -> Int {
        let layout = DeskLayout(s.size)
        return max(1, s.focus == .queue ? layout.queueRows : layout.caseLines - 1)
    }

    static func move(_ s: inout DeskState, by delta: Int) -> [Effect] {
        switch s.focus {
        case .queue:
            return QueueWindow.move(&s, by: delta)
        case .caseDetail:
            guard var open = s.open else { return [] }
            let total = TimelineLayout.lines(open.detail, width: DeskLayout(s.size).caseDetail.w - 2, zone: s.timeZone).count
            let visible = DeskLayout(s.size).caseLines - CaseView.headerLines
            let maxTop = max(0, total - visible)
            let current = open.scroll ?? maxTop
            let next = max(0, min(maxTop, current + delta))
            open.scroll = next >= maxTop ? nil : next
            s.open = open
            return []
        case .script:
            guard var open = s.open, !open.responses.isEmpty else { return [] }
            open.response = max(0, min(open.responses.count - 1, open.response + delta))
            s.open = open
            return []
        }
    }

    static func caseLoaded(_ s: inout DeskState, _ detail: CaseDetail, _ script: Script?) -> [Effect] {
        let previous = s.open
        var open = OpenCase(detail: detail, script: script,
                            position: script.map { ScriptRunner.position(of: $0, done: detail.stepsDone) })
        var effects: [Effect] = []
        if let previous, previous.id == detail.record.id {
            open.scroll = previous.scroll
            open.response = previous.position?.current?.id == open.position?.current?.id ? min(previous.response, max(0, open.responses.count - 1)) : 0
            let wasMine = previous.detail.record.assigneeId == s.me.id
            if wasMine, detail.record.assigneeId != s.me.id {
                let by = detail.record.updatedBy ?? "someone"
                if by != s.me.login {   // moved by this agent (a team move): the notice already says so
                    s.notice = Notice(text: "case #\(detail.record.id) was moved to \(detail.record.assignee ?? "the queue") by \(by): it is no longer yours", isError: true)
                }
                effects.append(.stopWork)
            }
        } else if detail.record.assigneeId == s.me.id, detail.record.status.isOpen {
            effects.append(.startWork(caseId: detail.record.id))
        }
        if !detail.record.status.isOpen, previous?.id == detail.record.id, previous?.detail.record.status.isOpen == true {
            effects.append(.stopWork)
        }
        s.open = open
        return effects
    }

    // MARK: overlays

    static func overlayKey(_ s: inout DeskState, _ overlay: Overlay, _ key: Key) -> [Effect] {
        switch overlay {
        case .help:
            s.overlay = nil
            return []
        case .intake, .customer, .search, .priority:
            return []   // ContactUpdate's and CaseEditUpdate's
        case .input(var input):
            switch key {
            case .escape: s.overlay = nil
            case .enter:
                s.overlay = nil
                return submit(&s, input)
            case .backspace:
                if !input.text.isEmpty { input.text.removeLast() }
                s.overlay = .input(input)
            case .char(let c):
                input.text.append(c)
                s.overlay = .input(input)
            default: break
            }
            return []
        case .picker(var picker):
            switch key {
            case .escape: s.overlay = nil
            case .up, .ctrl("p"): picker.selected = max(0, picker.selected - 1); s.overlay = .picker(picker)
            case .down, .ctrl("n"), .tab: picker.selected = min(max(0, picker.matches.count - 1), picker.selected + 1); s.overlay = .picker(picker)
            case .backspace:
                if !picker.query.isEmpty { picker.query.removeLast() }
                picker.selected = 0; s.overlay = .picker(picker)
            case .char(let c):
                picker.query.append(c); picker.selected = 0; s.overlay = .picker(picker)
            case .enter:
                let matches = picker.matches
                guard matches.indices.contains(picker.selected) else { return [] }
                s.overlay = nil
                return picked(&s, picker.purpose, matches[picker.selected].id)
            default: break
            }
            return []
        }
    }

    static func submit(_ s: inout DeskState, _ input: TextInput) -> [Effect] {
        let text = input.text.trimmingCharacters(in: .whitespaces)
        if let effects = ContactUpdate.submit(&s, input, text) { return effects }
        if input.purpose == .commandLine {
            let digits = text.trimmingCharacters(in: CharacterSet(charactersIn: ":#"))
            guard let id = Int64(digits) else {
                s.notice = Notice(text: "type a case number, e.g. 1042", isError: true)
                return []
            }
            s.mode = .desk
            if DeskLayout(s.size).mode == .stacked { s.focus = .caseDetail }
            return [.loadCase(id)]
        }
        if case .reassignReason(let ids, let to) = input.purpose {
            s.queue.marked = []; s.boardMarked = []
            return [.reassign(ids: ids, to: to, reason: text.isEmpty ? nil : text)]
        }
        guard !text.isEmpty, let open = s.open else { return [] }
        switch input.purpose {
        case .note: return [.note(caseId: open.id, text: text, version: open.version)]
        case .flagRule: return [.flagRule(caseId: open.id, rule: text)]
        case .consult(let expert): return [.consult(caseId: open.id, expert: expert, question: text)]
        case .reassignReason, .commandLine, .contact, .pending: return []
        }
    }

    static func picked(_ s: inout DeskState, _ purpose: Picker.Purpose, _ id: String) -> [Effect] {
        if let effects = ContactUpdate.picked(&s, purpose, id) ?? CaseEditUpdate.picked(&s, purpose, id) { return effects }
        switch purpose {
        case .assignTo(let ids):
            let to = id == "-" ? nil : id
            s.overlay = .input(TextInput(purpose: .reassignReason(ids: ids, to: to),
                                         title: "Why move \(ids.count == 1 ? "case #\(ids[0])" : "\(ids.count) cases") to \(to ?? "the queue")? (optional)"))
            return []
        case .conflict:
            let retry = s.retry
            s.retry = nil
            guard id == "apply", let retry, let open = s.open else {
                s.notice = Notice(text: "your change was dropped", isError: false)
                return []
            }
            return [retry.withVersion(open.version)]
        default:
            break
        }
        if purpose == .filter {
            switch id {
            case "mine": s.queue.view = .mine
            case "waiting": s.queue.view = .waiting
            case "risk": s.queue.view = .atRisk
            case "all": s.queue.view = .all
            default: s.queue.view = .callType(id)
            }
            s.queue.rows = []; s.queue.selected = 0; s.queue.top = 0; s.focus = .queue
            return [QueueWindow.load(s, .first)]
        }
        guard let open = s.open else { return [] }
        switch purpose {
        case .callType: return [.setCallType(caseId: open.id, code: id, version: open.version)]
        case .answer(let stepId): return [.stepDone(caseId: open.id, stepId: stepId, answer: id, version: open.version)]
        case .resolutionCode:
            let items = [Picker.Item(id: "-", label: "no score")] + (1...5).reversed().map {
                Picker.Item(id: String($0), label: String(repeating: "★", count: $0))
            }
            s.overlay = .picker(Picker(purpose: .csat(code: id), title: "Customer satisfaction (CSAT)", items: items))
            return []
        case .csat(let code): return [.resolve(caseId: open.id, code: code, csat: Int(id), version: open.version)]
        case .expert:
            s.overlay = .input(TextInput(purpose: .consult(expert: id), title: "Question for \(id)"))
            return []
        case .filter, .assignTo, .conflict, .contactChannel, .team: return []
        }
    }
}
