import CaseCore
import Foundation

/// The intake form, the customer view and search results, drawn over the desk.
enum ContactViews {
    /// One list row: selection bar, then columns of text.
    static func row(_ cells: [(String, Int)], x: Int, y: Int, width: Int, selected: Bool, muted: Bool = false, on screen: Screen) {
        if selected { screen.fill(x: x, y: y, width: width, height: 1, attr: .reverse, color: .selection) }
        var cx = x + 1
        for (i, (text, w)) in cells.enumerated() {
            let room = i == cells.count - 1 ? x + width - cx - 1 : min(w, x + width - cx - 1)
            guard room > 0 else { break }
            screen.put(pad(DeskView.text(text, screen), toWidth: max(0, room - 1), ellipsis: screen.unicode ? "…" : "~"),
                       x: cx, y: y, maxWidth: room, attr: selected ? .reverse : [], color: selected ? .selection : (muted ? .muted : .normal))
            cx += room
        }
    }

    static func customerLine(_ c: Customer) -> String {
        ([c.name] + [c.email, c.phone, c.account].compactMap { $0 }).joined(separator: " · ")
    }

    // MARK: intake

    static func intake(_ f: IntakeForm, _ s: DeskState, on screen: Screen) {
        let r = OverlayView.box(s, width: 90, height: 9 + (f.field == .customer ? min(9, f.matches.count + 1) : 0) + (f.field == .callType ? 6 : 0), title: "New case · Enter next · Tab/Shift-Tab fields · Esc cancels", on: screen)
        let labelW = 12, x = r.x + 2, w = r.w - 4
        var y = r.y + 1
        var cursor: (Int, Int)?
        func field(_ field: IntakeForm.Field, _ value: String, placeholder: String) {
            guard y < r.y + r.h - 1 else { return }
            let focused = f.field == field
            screen.put(field.label, x: x, y: y, maxWidth: labelW, attr: focused ? .bold : [], color: focused ? .accent : .muted)
            let shown = value.isEmpty && !focused ? placeholder : value
            let used = screen.put(DeskView.text(shown, screen), x: x + labelW, y: y, maxWidth: w - labelW,
                                  attr: focused ? .bold : [], color: value.isEmpty ? .muted : .normal)
            if focused { cursor = (x + labelW + used, y) }
            y += 1
        }
        let customerValue: String
        if let c = f.customer { customerValue = "#\(c.id) " + customerLine(c) }
        else if let n = f.newCustomer {
            customerValue = "new: " + ([n.name] + [n.email, n.phone, n.account].compactMap { $0 }).joined(separator: " · ")
        } else { customerValue = f.query }
        field(.customer, customerValue, placeholder: "name, email, phone or account")
        if f.field == .customer {
            let rows = min(f.matches.count + 1, r.y + r.h - 1 - y - 1)
            for i in 0..<max(0, rows) {
                let isNew = i == f.matches.count
                let text = isNew ? "+ new customer: " + NewCustomerDraft.parse(f.query).name + "   (name, email, phone, account: separate with commas)"
                                 : "#\(f.matches[i].id)  " + customerLine(f.matches[i])
                row([(text, w - labelW)], x: x + labelW - 1, y: y, width: w - labelW + 1, selected: i == f.selected, muted: isNew, on: screen)
                y += 1
            }
        }
        field(.channel, (screen.unicode ? "◂ " : "< ") + f.channel.rawValue + (screen.unicode ? " ▸" : " >"), placeholder: "")
        field(.callType, f.field == .callType ? f.callTypeQuery : (f.callType ?? ""), placeholder: "type to pick (optional)")
        if f.field == .callType {
            let matches = ContactUpdate.callTypeMatches(s, f.callTypeQuery)
            let rows = min(matches.count, max(0, r.y + r.h - 1 - y - 2), 6)
            let top = max(0, f.callTypeSelected - rows + 1)
            for (i, item) in matches.dropFirst(top).prefix(rows).enumerated() {
                row([(item.id, 24), (item.label, w)], x: x + labelW - 1, y: y, width: w - labelW + 1, selected: top + i == f.callTypeSelected, on: screen)
                y += 1
            }
        }
        field(.subject, f.subject, placeholder: "one line: what the contact is about")
        field(.words, f.words, placeholder: "the customer's first words (empty: the subject)")
        screen.setCursor(cursor)
    }

    // MARK: customer

    static func customer(_ p: CustomerPanel, _ s: DeskState, on screen: Screen) {
        let c = p.history.customer
        let open = p.history.cases.filter { $0.status.isOpen }.count
        let r = OverlayView.box(s, width: 110, height: min(s.size.rows - 2, p.history.cases.count + 7),
                                title: "Customer #\(c.id) · \(c.name) · Enter opens a case · Esc closes", on: screen)
        let x = r.x + 2, w = r.w - 4
        screen.put(DeskView.text(customerLine(c) + (c.language.map { " · \($0)" } ?? ""), screen), x: x, y: r.y + 1, maxWidth: w, attr: .bold)
        screen.put(DeskView.text("\(p.history.cases.count) cases, \(open) open", screen), x: x, y: r.y + 2, maxWidth: w, color: .muted)
        row([("CASE", 9), ("STATUS", 10), ("PRI", 4), ("CALL TYPE", 18), ("AGE", 6), ("OWNER", 10), ("SUBJECT", w)],
            x: r.x + 1, y: r.y + 3, width: r.w - 2, selected: false, muted: true, on: screen)
        let visible = max(1, r.h - 5)
        let top = max(0, p.selected - visible + 1)
        for (i, k) in p.history.cases.dropFirst(top).prefix(visible).enumerated() {
            row([("#\(k.id)", 9), (k.status.rawValue, 10), (k.priority.description, 4), (k.callType ?? "—", 18),
                 (DeskView.age(s.now.timeIntervalSince(k.createdAt)), 6), (k.assignee ?? "queue", 10), (k.subject, w)],
                x: r.x + 1, y: r.y + 4 + i, width: r.w - 2, selected: top + i == p.selected, on: screen)
        }
    }

    // MARK: search

    static func search(_ p: SearchPanel, _ s: DeskState, on screen: Screen) {
        let count = p.results?.hits.count ?? 0
        let r = OverlayView.box(s, width: 120, height: min(s.size.rows - 2, max(8, count + 5)),
                                title: "Search · words, case id, email, phone or account · Enter searches, then opens · Esc closes", on: screen)
        let x = r.x + 2, w = r.w - 4
        let used = screen.put(DeskView.text("> " + p.query, screen), x: x, y: r.y + 1, maxWidth: w, attr: .bold)
        screen.setCursor((x + used, r.y + 1))
        let status: String
        if p.searching { status = "searching…" }
        else if let results = p.results {
            status = p.query == p.resultsFor ? "\(count) case\(count == 1 ? "" : "s"), \(results.order.words)" : "Enter searches for the new words"
        } else { status = "" }
        screen.put(DeskView.text(status, screen), x: x, y: r.y + 2, maxWidth: w, color: .muted)
        guard let hits = p.results?.hits else { return }
        if hits.isEmpty { screen.put("no case matches", x: x, y: r.y + 3, color: .muted); return }
        let visible = max(1, r.h - 4)
        let top = max(0, p.selected - visible + 1)
        for (i, h) in hits.dropFirst(top).prefix(visible).enumerated() {
            let y = r.y + 3 + i, selected = top + i == p.selected
            row([("#\(h.id)", 9), (h.customer, 18), (h.status.rawValue, 10), (h.callType ?? "—", 18)],
                x: r.x + 1, y: y, width: min(r.w - 2, 56), selected: selected, on: screen)
            snippet(h.snippet, x: r.x + 57, y: y, width: r.w - 59, selected: selected, on: screen)
        }
    }

    /// The words around the match, the matched words in bold.
    static func snippet(_ text: String, x: Int, y: Int, width: Int, selected: Bool, on screen: Screen) {
        guard width > 2 else { return }
        if selected { screen.fill(x: x - 1, y: y, width: width + 1, height: 1, attr: .reverse, color: .selection) }
        var cx = x, bold = false
        var piece = ""
        func flush() {
            guard !piece.isEmpty, cx < x + width else { piece = ""; return }
            cx += screen.put(DeskView.text(piece, screen), x: cx, y: y, maxWidth: x + width - cx,
                             attr: (selected ? TextAttr.reverse : TextAttr()).union(bold ? TextAttr.bold : TextAttr()), color: selected ? .selection : (bold ? .accent : .muted))
            piece = ""
        }
        for ch in text {
            if String(ch) == SearchResults.markOn { flush(); bold = true }
            else if String(ch) == SearchResults.markOff { flush(); bold = false }
            else { piece.append(ch) }
        }
        flush()
    }
}
