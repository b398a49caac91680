import CaseCore

/// The priority form (`P`), drawn over the desk. (The team move uses the picker.)
enum CaseEditViews {
    static func priority(_ f: PriorityForm, _ s: DeskState, on screen: Screen) {
        let r = OverlayView.box(s, width: 72, height: 10, title: "Priority of case #\(f.caseId) · Enter saves, Esc cancels", on: screen)
        let x = r.x + 2
        for (i, p) in Priority.allCases.enumerated() {
            let y = r.y + 1 + i, selected = p == f.selected
            let words = [p == .p1 ? "most urgent" : p == .p4 ? "least urgent" : nil, p == f.current ? "now" : nil].compactMap { $0 }
            let mark = selected ? (screen.unicode ? "▸ " : "> ") : "  "   // seen without colour too
            ContactViews.row([(mark + p.description, 7), (words.joined(separator: " · "), r.w - 11)], x: x - 1, y: y, width: r.w - 2,
                             selected: selected, muted: !selected, on: screen)
        }
        screen.put(DeskView.text("Why? (it goes on the timeline; ↑↓ picks the priority)", screen), x: x, y: r.y + 6, maxWidth: r.w - 4, color: .muted)
        let room = r.w - 6
        var text = DeskView.text(f.reason, screen)
        while displayWidth(of: text) > room { text.removeFirst() }   // keep the end of long text in view
        let used = screen.put("> " + text, x: x, y: r.y + 7, maxWidth: r.w - 4, attr: .bold)
        screen.setCursor((x + used, r.y + 7))
    }
}
