import CaseCore

/// The script of the case's call type: steps with done/current/pending marks, the
/// current step's question and choices, and its responses filled in for this case.
enum ScriptView {
    static func render(_ s: DeskState, _ r: Rect, focused: Bool, on screen: Screen) {
        guard let open = s.open, let script = open.script, let position = open.position else {
            DeskView.frame(screen, r, title: "Script", focused: focused)
            let hint = s.open == nil ? "The script for the case's call type shows here." : "No call type with a script yet: press c to set one."
            screen.put(DeskView.text(hint, screen), x: r.x + 2, y: r.y + 1, maxWidth: r.w - 4, color: .muted)
            return
        }
        DeskView.frame(screen, r, title: "Script · \(script.title) · \(script.callType)", focused: focused)
        let x = r.x + 2, w = r.w - 4, bottom = r.y + r.h - 1
        guard w > 4 else { return }
        var y = r.y + 1
        let u = screen.unicode
        // Steps on as many lines as they need.
        var cx = x
        for (i, step) in script.steps.enumerated() {
            let mark: String, color: ColorRole, attr: TextAttr
            switch position.marks[step.id] ?? .pending {
            case .done: (mark, color, attr) = (u ? "✓" : "v", .ok, [])
            case .current: (mark, color, attr) = (u ? "▸" : ">", .accent, .bold)
            case .pending: (mark, color, attr) = (" ", .normal, [])
            case .skipped: (mark, color, attr) = (u ? "·" : "-", .muted, .dim)
            }
            let label = "\(mark) \(i + 1) \(step.title)"
            let lw = displayWidth(of: DeskView.text(label, screen))
            if cx > x, cx + lw > x + w { y += 1; cx = x }
            guard y < bottom else { return }
            cx += screen.put(DeskView.text(label, screen), x: cx, y: y, maxWidth: x + w - cx, attr: attr, color: color) + 3
        }
        y += 1
        guard let step = position.current else {
            if y < bottom { screen.put(DeskView.text("Script complete. x resolves the case.", screen), x: x, y: y, maxWidth: w, color: .ok) }
            return
        }
        if let question = step.question, y < bottom {
            screen.put(DeskView.text("? \(question)", screen), x: x, y: y, maxWidth: w, attr: .bold, color: .warn)
            y += 1
            if y < bottom {
                let choices = step.choices.map { "[\($0.answer) → \($0.next)]" }.joined(separator: " ")
                screen.put(DeskView.text(choices + "   s answers", screen), x: x + 2, y: y, maxWidth: w - 2, color: .muted)
                y += 1
            }
        }
        let responses = open.responses
        if responses.isEmpty {
            if y < bottom {
                screen.put(DeskView.text(step.question == nil ? "No response for this step. s marks it done." : "", screen),
                           x: x, y: y, maxWidth: w, color: .muted)
            }
            return
        }
        for (i, template) in responses.enumerated() where y < bottom {
            let selected = i == open.response
            let text = ResponseFiller.fill(template, detail: open.detail, agent: s.me, timeZone: s.timeZone)
            let head = "\(selected ? (u ? "▸" : ">") : " ") \(template.title): "
            if selected {
                // The selected response in full, as the customer will read it.
                let hw = screen.put(DeskView.text(head, screen), x: x, y: y, maxWidth: w, attr: .bold,
                                    color: focused ? .accent : .normal)
                for (j, line) in wrap("\u{201C}\(text)\u{201D}", width: max(4, w - 2)).enumerated() where y < bottom {
                    if j == 0 && hw + displayWidth(of: line) > w { y += 1 }
                    let lx = j == 0 && hw + displayWidth(of: line) <= w ? x + hw : x + 2
                    if y >= bottom { break }
                    screen.put(DeskView.text(line, screen), x: lx, y: y, maxWidth: x + w - lx)
                    y += 1
                }
            } else {
                let used = screen.put(DeskView.text(head, screen), x: x, y: y, maxWidth: w, color: .muted)
                screen.put(DeskView.text(text, screen), x: x + used, y: y, maxWidth: max(0, w - used), color: .muted)
                y += 1
            }
        }
    }
}
