import CaseCore

/// Help, pickers and text prompts, drawn over the centre of the desk.
enum OverlayView {
    static func render(_ overlay: Overlay, _ s: DeskState, on screen: Screen) {
        switch overlay {
        case .help: help(s, on: screen)
        case .picker(let p): picker(p, s, on: screen)
        case .input(let i): input(i, s, on: screen)
        case .intake(let form): ContactViews.intake(form, s, on: screen)
        case .customer(let panel): ContactViews.customer(panel, s, on: screen)
        case .search(let panel): ContactViews.search(panel, s, on: screen)
        case .priority(let form): CaseEditViews.priority(form, s, on: screen)
        }
    }

    static func box(_ s: DeskState, width: Int, height: Int, title: String, on screen: Screen) -> Rect {
        let w = min(s.size.cols - 2, width), h = min(s.size.rows - 2, height)
        let r = Rect(x: (s.size.cols - w) / 2, y: max(1, (s.size.rows - h) / 2), w: w, h: h)
        screen.fill(x: r.x, y: r.y, width: r.w, height: r.h)
        screen.box(x: r.x, y: r.y, w: r.w, h: r.h, title: DeskView.text(title, screen), color: .accent, titleColor: .accent)
        return r
    }

    /// Every binding of the focused pane, generated from the keymap itself.
    static func help(_ s: DeskState, on screen: Screen) {
        let bindings = Keymap.bindings(in: s.context, lead: s.isLead)
        let r = box(s, width: 92, height: bindings.count + 4, title: "Help · \(s.contextTitle) · any key closes", on: screen)
        for (i, b) in bindings.enumerated() where r.y + 1 + i < r.y + r.h - 2 {
            let keys = b.keys.map { screen.unicode ? $0.description : $0.asciiDescription }.joined(separator: " ")
            screen.put(keys, x: r.x + 2, y: r.y + 1 + i, maxWidth: 16, attr: .bold, color: .accent)
            screen.put(DeskView.text(b.help, screen), x: r.x + 19, y: r.y + 1 + i, maxWidth: r.w - 21)
        }
        screen.put(DeskView.text("Pane keys apply where the pane is focused; Tab moves between panes.", screen),
                   x: r.x + 2, y: r.y + r.h - 2, maxWidth: r.w - 4, color: .muted)
    }

    static func picker(_ p: Picker, _ s: DeskState, on screen: Screen) {
        let matches = p.matches
        let r = box(s, width: 64, height: min(18, max(6, matches.count + 4)), title: p.title, on: screen)
        let prompt = "> " + p.query
        let used = screen.put(DeskView.text(prompt, screen), x: r.x + 2, y: r.y + 1, maxWidth: r.w - 4, attr: .bold)
        screen.setCursor((r.x + 2 + used, r.y + 1))
        let visible = r.h - 3
        let top = max(0, p.selected - visible + 1)
        for (i, item) in matches.dropFirst(top).prefix(visible).enumerated() {
            let selected = top + i == p.selected
            let y = r.y + 2 + i
            if selected { screen.fill(x: r.x + 1, y: y, width: r.w - 2, height: 1, attr: .reverse, color: .selection) }
            let idWidth = screen.put(DeskView.text(item.id, screen), x: r.x + 2, y: y, maxWidth: r.w - 4,
                                     attr: selected ? [.reverse, .bold] : .bold, color: selected ? .selection : .normal)
            screen.put(DeskView.text("  " + item.label, screen), x: r.x + 2 + idWidth, y: y, maxWidth: r.w - 4 - idWidth,
                       attr: selected ? .reverse : [], color: selected ? .selection : .muted)
        }
        if matches.isEmpty { screen.put("no match", x: r.x + 2, y: r.y + 2, color: .muted) }
    }

    static func input(_ i: TextInput, _ s: DeskState, on screen: Screen) {
        let r = box(s, width: 72, height: 5, title: i.title + " · Enter saves, Esc cancels", on: screen)
        let room = r.w - 6
        var text = DeskView.text(i.text, screen)
        while displayWidth(of: text) > room { text.removeFirst() }   // keep the end of long text in view
        let used = screen.put("> " + text, x: r.x + 2, y: r.y + 2, maxWidth: r.w - 4)
        screen.setCursor((r.x + 2 + used, r.y + 2))
    }
}
