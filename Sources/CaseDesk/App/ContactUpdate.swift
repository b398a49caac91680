import CaseCore
import Foundation

/// The contact half of the update: intake (`N`), the customer view (`C`), search (`F`),
/// a customer contact on the open case (`m`), pending with a follow-up (`p`), and
/// follow-ups coming back to the queue.
enum ContactUpdate {
    /// The effects of a contact command; nil for commands that are not this file's.
    static func command(_ s: inout DeskState, _ command: Command) -> [Effect]? {
        switch command {
        case .intake:
            s.overlay = .intake(IntakeForm(channel: s.lastChannel))
            return []
        case .search:
            s.overlay = .search(SearchPanel())
            return []
        case .customer, .contact, .pending:
            break
        default:
            return nil
        }
        guard let open = s.open else {
            s.notice = Notice(text: "open a case first: Enter on a queue row, or n for the next one", isError: true)
            return []
        }
        switch command {
        case .customer:
            return [.loadCustomer(open.detail.customer.id)]
        case .contact:
            let first = open.detail.record.channel
            let items = ([first] + Channel.allCases.filter { $0 != first }).map { Picker.Item(id: $0.rawValue, label: channelWords($0)) }
            s.overlay = .picker(Picker(purpose: .contactChannel, title: "How did \(open.detail.customer.name) get in touch? (case #\(open.id))", items: items))
        default:
            s.overlay = .input(TextInput(purpose: .pending, title: "Follow-up for #\(open.id) (HH:MM, tomorrow HH:MM, YYYY-MM-DD HH:MM; empty: none)"))
        }
        return []
    }

    static func channelWords(_ c: Channel) -> String {
        switch c {
        case .phone: "called back"
        case .email: "replied by email"
        case .chat: "wrote in chat"
        case .web: "wrote through the web form"
        case .ivr: "came through the phone menu"
        case .mobile: "wrote in the app"
        case .retail: "came into a store"
        case .social: "wrote on social media"
        }
    }

    static func picked(_ s: inout DeskState, _ purpose: Picker.Purpose, _ id: String) -> [Effect]? {
        guard purpose == .contactChannel else { return nil }
        guard let channel = Channel(rawValue: id), let open = s.open else { return [] }
        s.overlay = .input(TextInput(purpose: .contact(channel: channel), title: "What did \(open.detail.customer.name) say? (\(channel.rawValue))"))
        return []
    }

    /// A submitted text prompt of this file's; nil for the others.
    static func submit(_ s: inout DeskState, _ input: TextInput, _ text: String) -> [Effect]? {
        switch input.purpose {
        case .pending:
            guard let open = s.open else { return [] }
            if text.isEmpty { return [.pending(caseId: open.id, until: nil, version: open.version)] }
            do {
                let until = try FollowUpTime.parse(text, now: s.now, zone: s.timeZone)
                return [.pending(caseId: open.id, until: until, version: open.version)]
            } catch {
                s.notice = Notice(text: "\(error)", isError: true)
                s.overlay = .input(input)
                return []
            }
        case .contact(let channel):
            guard let open = s.open, !text.isEmpty else { return [] }
            return [.contact(caseId: open.id, channel: channel, text: text, version: open.version)]
        default:
            return nil
        }
    }

    // MARK: messages

    static func message(_ s: inout DeskState, _ msg: Msg) -> [Effect] {
        switch msg {
        case .customerMatches(let query, let found):
            guard case .intake(var form) = s.overlay, form.query == query else { return [] }
            form.matches = found; form.matchedQuery = query
            form.selected = min(form.selected, found.count)
            s.overlay = .intake(form)
        case .customerLoaded(let history):
            s.overlay = .customer(CustomerPanel(history: history))
        case .searchResults(let query, let results):
            guard case .search(var panel) = s.overlay, panel.query == query else { return [] }
            panel.results = results; panel.resultsFor = query; panel.selected = 0; panel.searching = false
            s.overlay = .search(panel)
        case .searchFailed(let query, let text):
            guard case .search(var panel) = s.overlay, panel.query == query else { return [] }
            panel.searching = false; panel.results = nil; panel.resultsFor = ""
            s.overlay = .search(panel)
            s.notice = Notice(text: text, isError: true)
        case .followUpsDue(let ids):
            guard s.queue.view == .mine, Set(ids) != Set(s.queue.followUpDue) else { return [] }
            return [QueueWindow.load(s, .first)]
        case .intakeCreated(_, let channel):
            if case .intake = s.overlay { s.overlay = nil }
            s.lastChannel = channel
            if DeskLayout(s.size).mode == .stacked { s.focus = .caseDetail }
        default:
            break
        }
        return []
    }

    // MARK: overlays

    static func overlayKey(_ s: inout DeskState, _ overlay: Overlay, _ key: Key) -> [Effect]? {
        switch overlay {
        case .intake(let form): return intakeKey(&s, form, key)
        case .customer(var panel):
            switch key {
            case .escape: s.overlay = nil
            case .up, .char("k"): panel.selected = max(0, panel.selected - 1); s.overlay = .customer(panel)
            case .down, .char("j"): panel.selected = min(max(0, panel.history.cases.count - 1), panel.selected + 1); s.overlay = .customer(panel)
            case .enter:
                guard panel.history.cases.indices.contains(panel.selected) else { return [] }
                return openCase(&s, panel.history.cases[panel.selected].id)
            default: break
            }
            return []
        case .search(var panel):
            switch key {
            case .escape:
                s.overlay = nil
                return []
            case .up: panel.selected = max(0, panel.selected - 1)
            case .down: panel.selected = min(max(0, (panel.results?.hits.count ?? 1) - 1), panel.selected + 1)
            case .backspace: if !panel.query.isEmpty { panel.query.removeLast() }
            case .char(let c): panel.query.append(c)
            case .enter:
                if panel.query != panel.resultsFor || panel.results == nil {
                    panel.searching = true
                    s.overlay = .search(panel)
                    return [.search(panel.query)]
                }
                guard let hits = panel.results?.hits, hits.indices.contains(panel.selected) else { return [] }
                return openCase(&s, hits[panel.selected].id)
            default: break
            }
            s.overlay = .search(panel)
            return []
        default:
            return nil
        }
    }

    static func openCase(_ s: inout DeskState, _ id: Int64) -> [Effect] {
        s.overlay = nil
        s.mode = .desk
        if DeskLayout(s.size).mode == .stacked { s.focus = .caseDetail }
        return [.loadCase(id)]
    }

    /// The call types matching what was typed, closest first (the call-type picker's rule).
    static func callTypeMatches(_ s: DeskState, _ query: String) -> [Picker.Item] {
        var picker = Picker(purpose: .callType, title: "", items: s.callTypes.map { Picker.Item(id: $0.code, label: $0.name) })
        picker.query = query
        return picker.matches
    }

    static func intakeKey(_ s: inout DeskState, _ form: IntakeForm, _ key: Key) -> [Effect] {
        var f = form
        var effects: [Effect] = []
        switch key {
        case .escape:
            s.overlay = nil
            return []
        case .tab, .enter:
            guard accept(&s, &f) else { s.overlay = .intake(f); return [] }
            if key == .enter, f.field == .words, form.field == .words {
                s.overlay = .intake(f)
                return submit(&s, f)
            }
            if let next = IntakeForm.Field(rawValue: f.field.rawValue + 1) { f.field = next }
        case .backTab:
            if let previous = IntakeForm.Field(rawValue: f.field.rawValue - 1) { f.field = previous }
        case .up, .down:
            let step = key == .up ? -1 : 1
            switch f.field {
            case .customer: f.selected = max(0, min(f.matches.count, f.selected + step))
            case .channel: f.channel = cycle(f.channel, by: step)
            case .callType: f.callTypeSelected = max(0, min(max(0, callTypeMatches(s, f.callTypeQuery).count - 1), f.callTypeSelected + step))
            default: break
            }
        case .left, .right:
            if f.field == .channel { f.channel = cycle(f.channel, by: key == .left ? -1 : 1) }
        case .backspace:
            effects = edit(&f) { if !$0.isEmpty { $0.removeLast() } }
        case .char(let c):
            if f.field == .channel {
                if let match = Channel.allCases.first(where: { $0.rawValue.hasPrefix(String(c).lowercased()) }) { f.channel = match }
            } else {
                effects = edit(&f) { $0.append(c) }
            }
        default:
            break
        }
        s.overlay = .intake(f)
        return effects
    }

    static func cycle(_ c: Channel, by step: Int) -> Channel {
        let all = Channel.allCases
        return all[(all.firstIndex(of: c)! + step + all.count) % all.count]
    }

    /// Typing into the focused field; the customer field looks customers up as you type.
    static func edit(_ f: inout IntakeForm, _ change: (inout String) -> Void) -> [Effect] {
        switch f.field {
        case .customer:
            change(&f.query)
            f.customer = nil; f.newCustomer = nil; f.selected = 0
            let lookup = lookupText(f.query)
            if lookup.isEmpty { f.matches = []; f.matchedQuery = f.query; return [] }
            return [.findCustomers(lookup)]
        case .callType:
            change(&f.callTypeQuery); f.callTypeSelected = 0; f.callType = nil
        case .subject: change(&f.subject)
        case .words: change(&f.words)
        case .channel: break
        }
        return []
    }

    /// What is looked up: the first comma-separated part ("Anna Berg, anna@x.de" finds Anna Berg).
    static func lookupText(_ query: String) -> String {
        String(query.prefix { $0 != "," }).trimmingCharacters(in: .whitespaces)
    }

    /// Takes the focused field's choice; false (with a notice) when it cannot be left yet.
    static func accept(_ s: inout DeskState, _ f: inout IntakeForm) -> Bool {
        switch f.field {
        case .customer:
            guard f.customer == nil, f.newCustomer == nil else { return true }
            if f.matchedQuery == lookupText(f.query), f.matches.indices.contains(f.selected) {
                f.customer = f.matches[f.selected]
                return true
            }
            let draft = NewCustomerDraft.parse(f.query)
            guard !draft.name.isEmpty else {
                s.notice = Notice(text: "type the customer's name, email, phone number or account", isError: true)
                return false
            }
            f.newCustomer = draft
        case .callType:
            let matches = callTypeMatches(s, f.callTypeQuery)
            if !f.callTypeQuery.isEmpty {
                guard matches.indices.contains(f.callTypeSelected) else {
                    s.notice = Notice(text: "no call type matches '\(f.callTypeQuery)'", isError: true)
                    return false
                }
                f.callType = matches[f.callTypeSelected].id
                f.callTypeQuery = matches[f.callTypeSelected].id
            }
        case .subject:
            guard !f.subject.trimmingCharacters(in: .whitespaces).isEmpty else {
                s.notice = Notice(text: "a case needs a subject: one line saying what the contact is about", isError: true)
                return false
            }
        case .channel, .words:
            break
        }
        return true
    }

    static func submit(_ s: inout DeskState, _ f: IntakeForm) -> [Effect] {
        for field in IntakeForm.Field.allCases {
            var probe = f
            probe.field = field
            guard accept(&s, &probe) else {
                var back = f
                back.field = field
                s.overlay = .intake(back)
                return []
            }
        }
        let subject = f.subject.trimmingCharacters(in: .whitespaces)
        let words = f.words.trimmingCharacters(in: .whitespaces)
        return [.intake(IntakeDraft(customerId: f.customer?.id, newCustomer: f.customer == nil ? f.newCustomer : nil, channel: f.channel,
                                    callType: f.callType, subject: subject, words: words.isEmpty ? subject : words))]
    }
}

extension NewCustomerDraft {
    /// "Anna Berg, anna@example.de, 020 7946 0018, AC-1234567": each part where it belongs.
    static func parse(_ typed: String) -> NewCustomerDraft {
        var d = NewCustomerDraft()
        for part in typed.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let one = NewCustomerDraft.from(part)
            if let e = one.email { d.email = e }
            else if let p = one.phone { d.phone = p }
            else if part.contains(where: \.isNumber), part.contains(where: \.isLetter), !part.contains(" ") { d.account = part }
            else if d.name.isEmpty { d.name = part }
        }
        if d.name.isEmpty { d.name = d.email.map { String($0.prefix { $0 != "@" }) } ?? d.phone ?? d.account ?? "" }
        return d
    }
}
