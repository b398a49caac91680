import CaseCore
import Foundation

/// Draws the trainer console: trainees live on top; the persona, hidden facts and the
/// selected trainee's next line below; keys at the bottom. Pure drawing.
public enum ConsoleView {
    public static let minCols = 80, minRows = 20

    public static func render(_ s: ConsoleState, on screen: Screen) {
        screen.clear()
        screen.setCursor(nil)
        let W = s.size.cols, H = s.size.rows
        guard W >= minCols, H >= minRows else {
            screen.put(t("the trainer console needs at least \(minCols)×\(minRows) (this is \(W)×\(H))", screen), x: 0, y: 0,
                       maxWidth: W, attr: .bold, color: .danger)
            screen.refresh()
            return
        }
        let sc = s.session.scenario
        // Status line: always marked as training.
        screen.clearRow(0, attr: .reverse, color: .banner)
        let right = "\(DeskView.format(s.now, "EEE HH:mm", s.timeZone)) "
        screen.put(t(" TRAINING · Trainer console · session \(s.session.id) · \(s.session.module) · \(s.me)", screen), x: 0, y: 0,
                   maxWidth: W - displayWidth(of: right) - 1, attr: [.reverse, .bold], color: .banner)
        screen.put(right, x: W - displayWidth(of: right), y: 0, attr: .reverse, color: .banner)

        // Trainees.
        let tableH = min(max(4, s.rows.count + 3), H / 2)
        DeskView.frame(screen, Rect(x: 0, y: 1, w: W, h: tableH),
                       title: "Trainees (\(s.rows.count)) · \(s.session.mixText) · lines go to: \(s.targetLabel)", focused: true)
        let cols: [(String, Int)] = [("TRAINEE", 12), ("DEPT", 12), ("CASE", 6), ("STEP", 22), ("CALL TYPE", 22), ("RESP", 5),
                                     ("LINES", 6), ("TIME", 6), ("STATUS", 9), ("SCORED", 7)]
        var x = 2
        for (name, w) in cols { screen.put(name, x: x, y: 2, maxWidth: w, attr: .bold, color: .muted); x += w }
        for (i, r) in s.rows.prefix(tableH - 3).enumerated() {
            let y = 3 + i
            let selected = s.toAll || i == s.selected
            if selected { screen.fill(x: 1, y: y, width: W - 2, height: 1, attr: .reverse, color: .selection) }
            let attr: TextAttr = selected ? .reverse : .normal
            let color: ColorRole = selected ? .selection : .normal
            screen.put(selected ? (screen.unicode ? "▸" : ">") : " ", x: 1, y: y, attr: attr, color: color)
            let ct = r.callType.map { "\($0) \(r.callTypeCorrect ? (screen.unicode ? "✓" : "ok") : (screen.unicode ? "✗" : "x"))" } ?? "-"
            let cells = [r.login, r.department, "#\(r.caseId)", r.step, ct, String(r.responses),
                         "\(r.linesSent)/\(sc.lines.count)", clock(r.handleSeconds), r.status,
                         "\(r.myScores.count)/\(sc.rubric.count)"]
            var cx = 2
            for ((_, w), cell) in zip(cols, cells) {
                screen.put(t(truncate(cell, toWidth: w - 1, ellipsis: screen.unicode ? "…" : "~"), screen), x: cx, y: y, maxWidth: w, attr: attr, color: color)
                cx += w
            }
        }

        // Persona and hidden facts (left), next line (right).
        let top = 1 + tableH
        let bodyH = H - top - 1
        let leftW = W / 2
        let c = sc.startingCase
        DeskView.frame(screen, Rect(x: 0, y: top, w: leftW, h: bodyH), title: "Customer · \(c.customer) · \(sc.persona.style)", focused: false)
        var lines: [(String, ColorRole, TextAttr)] = []
        lines.append(("\(sc.title) — \(sc.topic.title)", .accent, .bold))
        for l in wrap(sc.persona.description, width: leftW - 4) { lines.append((l, .normal, .normal)) }
        lines.append(("expected: \(sc.expectedCallType) · \(sc.expectedResolution)", .muted, .normal))
        lines.append(("Hidden facts (only when asked):", .warn, .bold))
        for f in sc.hiddenFacts {
            for (i, l) in wrap("• \(f.fact) — ask: \(f.ask)", width: leftW - 6).enumerated() { lines.append(((i == 0 ? "" : "  ") + l, .normal, .normal)) }
        }
        for (i, l) in lines.prefix(bodyH - 2).enumerated() {
            screen.put(t(l.0, screen), x: 2, y: top + 1 + i, maxWidth: leftW - 4, attr: l.2, color: l.1)
        }

        let rightW = W - leftW
        let row = s.selectedRow
        DeskView.frame(screen, Rect(x: leftW, y: top, w: rightW, h: bodyH), title: "Next line · \(s.targetLabel)", focused: false)
        var next: [(String, ColorRole, TextAttr)] = []
        if let row, let line = row.nextLine {
            next.append(("\(line.id) (line \(row.linesSent + 1) of \(sc.lines.count))", .accent, .bold))
            let suggested = row.suggested
            let mark = screen.unicode ? "▸ " : "> "
            next.append(((suggested == nil ? mark : "  ") + "main: " + line.say, suggested == nil ? .ok : .normal, .normal))
            for b in line.branches {
                let on = b == suggested
                for (i, l) in wrap((on ? mark : "  ") + "\(b.label): \(b.say)", width: rightW - 4).enumerated() {
                    next.append(((i == 0 ? "" : "    ") + l, on ? .ok : .normal, .normal))
                }
            }
        } else {
            next.append(("no scripted line left: t types one", .muted, .normal))
        }
        if let response = row?.lastResponse {
            next.append(("last response from \(row!.login):", .muted, .bold))
            for l in wrap(response, width: rightW - 4).prefix(3) { next.append((l, .muted, .normal)) }
        }
        var wrapped: [(String, ColorRole, TextAttr)] = []
        for n in next { for l in wrap(n.0, width: rightW - 4) { wrapped.append((l, n.1, n.2)) } }
        for (i, l) in wrapped.prefix(bodyH - 2).enumerated() {
            screen.put(t(l.0, screen), x: leftW + 2, y: top + 1 + i, maxWidth: rightW - 4, attr: l.2, color: l.1)
        }

        hints(s, on: screen)
        overlay(s, on: screen)
        screen.refresh()
    }

    static func hints(_ s: ConsoleState, on screen: Screen) {
        let y = s.size.rows - 1
        screen.clearRow(y)
        if let n = s.notice {
            screen.put(t(" " + n.text, screen), x: 0, y: y, maxWidth: s.size.cols, attr: .bold, color: n.isError ? .danger : .ok)
            return
        }
        var x = 1
        for (k, label) in [("j/k", "trainee")] + Keymap.hints(in: .console, unicode: screen.unicode).map({ ($0.key, $0.label) }) {
            if x + displayWidth(of: k) + displayWidth(of: label) + 3 > s.size.cols { break }
            x += screen.put(k, x: x, y: y, attr: .bold, color: .accent)
            x += screen.put(" \(label)  ", x: x, y: y, color: .muted)
        }
    }

    static func overlay(_ s: ConsoleState, on screen: Screen) {
        let W = s.size.cols
        func box(_ title: String, _ items: [String], selected: Int?) {
            let w = min(W - 4, 90), h = min(s.size.rows - 4, items.count + 2)
            let r = Rect(x: (W - w) / 2, y: max(1, (s.size.rows - h) / 2), w: w, h: h)
            screen.fill(x: r.x, y: r.y, width: r.w, height: r.h)
            DeskView.frame(screen, r, title: title, focused: true)
            for (i, item) in items.prefix(h - 2).enumerated() {
                let on = i == selected
                if on { screen.fill(x: r.x + 1, y: r.y + 1 + i, width: r.w - 2, height: 1, attr: .reverse, color: .selection) }
                screen.put(t(item, screen), x: r.x + 2, y: r.y + 1 + i, maxWidth: r.w - 4, attr: on ? .reverse : .normal,
                           color: on ? .selection : .normal)
            }
        }
        switch s.mode {
        case .normal: break
        case .help:
            box("Help · trainer console · any key closes", Keymap.bindings(in: .console).map { b in
                pad(b.keys.map { screen.unicode ? $0.description : $0.asciiDescription }.joined(separator: " "), toWidth: 14) + b.help
            }, selected: nil)
        case .branch(let selected):
            box("Send to \(s.targetLabel): which line?", ConsoleUpdate.branchOptions(s).map { "\($0.label): \($0.say)" }, selected: selected)
        case .typing(let text):
            box("Customer says (to \(s.targetLabel)) · Enter sends · Esc cancels", ["> " + text], selected: nil)
        case .criterion(let selected):
            box("Score \(s.selectedRow?.login ?? "") · criterion", s.session.scenario.rubric.map {
                "\($0.id) (\($0.weight)%, 0–\($0.max)): \($0.text)" + (s.selectedRow?.myScores[$0.id].map { " · now \($0)" } ?? "")
            }, selected: selected)
        case .scoreValue(let criterion, let text):
            let max = s.session.scenario.rubric.first { $0.id == criterion }?.max ?? 0
            box("Score \(s.selectedRow?.login ?? "") on \(criterion) (0–\(max)) · Enter saves", ["> " + text], selected: nil)
        }
    }

    static func t(_ s: String, _ screen: Screen) -> String { screen.unicode ? s : asciiFallback(s) }
    static func clock(_ seconds: Double) -> String { DurationText.elapsed(seconds) }
}
