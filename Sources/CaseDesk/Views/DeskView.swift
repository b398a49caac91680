import CaseCore
import Foundation

/// Draws the whole desk from the state. Pure drawing: nothing here reads the database.
public enum DeskView {
    public static func render(_ s: DeskState, on screen: Screen) {
        screen.clear()
        screen.setCursor(nil)
        let layout = DeskLayout(s.size)
        guard layout.mode != .tooSmall else {
            let text = "casedesk needs at least \(DeskLayout.minCols)×\(DeskLayout.minRows) (this is \(s.size.cols)×\(s.size.rows))"
            for (i, line) in wrap(screen.unicode ? text : asciiFallback(text), width: s.size.cols).prefix(s.size.rows).enumerated() {
                screen.put(line, x: 0, y: i, maxWidth: s.size.cols, attr: .bold, color: .danger)
            }
            screen.refresh()
            return
        }
        StatusBar.render(s, layout, on: screen)
        switch s.mode == .board ? .tooSmall : layout.mode {
        case .wide:
            for pane in Pane.allCases { renderPane(pane, s, layout, on: screen) }
        case .stacked:
            renderPane(s.focus, s, layout, on: screen)
        case .tooSmall:
            BoardView.render(s, on: screen)
        }
        HintLine.render(s, on: screen)
        if let overlay = s.overlay { OverlayView.render(overlay, s, on: screen) }
        screen.refresh()
    }

    static func renderPane(_ pane: Pane, _ s: DeskState, _ layout: DeskLayout, on screen: Screen) {
        let rect = layout.rect(pane)
        let focused = s.focus == pane
        switch pane {
        case .queue: QueuePaneView.render(s, rect, focused: focused, on: screen)
        case .caseDetail: CaseView.render(s, rect, focused: focused, on: screen)
        case .script: ScriptView.render(s, rect, focused: focused, on: screen)
        }
    }

    /// Text as this screen can show it: ASCII under a non-UTF-8 locale.
    static func text(_ s: String, _ screen: Screen) -> String { screen.unicode ? s : asciiFallback(s) }

    static func frame(_ screen: Screen, _ r: Rect, title: String, focused: Bool) {
        screen.box(x: r.x, y: r.y, w: r.w, h: r.h, title: text(title, screen), attr: focused ? .bold : .normal,
                   color: focused ? .accent : .muted, titleAttr: .bold, titleColor: focused ? .accent : .normal)
    }

    static func clock(_ seconds: TimeInterval) -> String { DurationText.clock(seconds) }

    static func age(_ seconds: TimeInterval) -> String {
        let m = Int(max(0, seconds) / 60)
        if m < 60 { return "\(m)m" }
        if m < 48 * 60 { return "\(m / 60)h" }
        return "\(m / 1440)d"
    }

    public typealias SLAState = CaseCore.SLAState

    /// The queue clock's state (SLAClock): nearing inside the pack's at-risk window, paused
    /// while pending on the customer. The mark shows the state without colour too.
    static func sla(_ due: Date, pausedAt: Date?, _ s: DeskState) -> SLAState {
        SLAClock.state(due: due, pausedAt: pausedAt, now: s.now, atRiskWindow: s.settings.atRiskWindow)
    }

    /// Time left (or over, with a minus), or "paused" while the clock is stopped.
    static func slaClock(_ due: Date, pausedAt: Date?, _ s: DeskState) -> String {
        sla(due, pausedAt: pausedAt, s) == .paused ? "paused" : clock(due.timeIntervalSince(s.now))
    }

    static func slaMark(_ state: SLAState, unicode: Bool) -> (String, ColorRole) {
        switch state {
        case .ok: (" ", .ok)
        case .paused: (unicode ? "‖" : "=", .muted)
        case .nearing: (unicode ? "⚠" : "!", .warn)
        case .breached: (unicode ? "✖" : "X", .danger)
        }
    }

    /// Times on screen are in the desk's time zone (the user's; UTC in golden tests).
    static func format(_ date: Date, _ pattern: String, _ zone: TimeZone) -> String {
        DateText.format(date, pattern, zone)
    }

    static func shortTime(_ date: Date, _ s: DeskState) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = s.timeZone
        return format(date, cal.isDate(date, inSameDayAs: s.now) ? "HH:mm" : "d MMM HH:mm", s.timeZone)
    }
}

enum StatusBar {
    static func render(_ s: DeskState, _ layout: DeskLayout, on screen: Screen) {
        screen.clearRow(0, attr: .reverse, color: s.training ? .banner : .normal)
        var left = s.training ? " TRAINING · CaseDesk" : " CaseDesk"
        left += s.size.cols < 80 ? " · \(s.me.login)" : " · \(s.me.name) (\(s.me.role.rawValue))"
        if s.mode == .board {
            left += " · lead board"
        } else if layout.mode == .stacked {
            left += " · " + Pane.allCases.map { $0 == s.focus ? "[\($0.title)]" : $0.title }.joined(separator: " ")
        }
        let right = "\(DeskView.format(s.now, "EEE HH:mm", s.timeZone)) "
        // A write waiting for the database lock: keys still work, the save lands later.
        let saving = s.saving ? DeskView.text(" saving… ", screen) : ""
        let rightWidth = displayWidth(of: right) + displayWidth(of: saving)
        screen.put(DeskView.text(left, screen), x: 0, y: 0, maxWidth: s.size.cols - rightWidth - 1, attr: [.reverse, .bold],
                   color: s.training ? .banner : .normal)
        if s.saving { screen.put(saving, x: s.size.cols - rightWidth, y: 0, attr: [.reverse, .bold], color: .warn) }
        screen.put(right, x: s.size.cols - displayWidth(of: right), y: 0, attr: .reverse, color: s.training ? .banner : .normal)
    }
}

enum HintLine {
    static func render(_ s: DeskState, on screen: Screen) {
        let y = s.size.rows - 1
        screen.clearRow(y)
        if let notice = s.notice {
            screen.put(DeskView.text(" " + notice.text, screen), x: 0, y: y, maxWidth: s.size.cols, attr: .bold,
                       color: notice.isError ? .danger : .ok)
            return
        }
        var x = 1
        let hints = Keymap.hints(in: s.context, unicode: screen.unicode, lead: s.isLead)
        func width(_ h: (key: String, label: String)) -> Int { displayWidth(of: h.key) + 1 + displayWidth(of: h.label) + 2 }
        var shown = hints
        // When not every hint fits, the last ones go first, but "? help" stays: it leads to every other key.
        while 1 + shown.map(width).reduce(0, +) - 2 > s.size.cols, let last = shown.lastIndex(where: { $0.label != "help" }) {
            shown.remove(at: last)
        }
        for hint in shown {
            if x + width(hint) - 2 > s.size.cols { break }
            x += screen.put(hint.key, x: x, y: y, attr: .bold, color: .accent)
            x += screen.put(" " + hint.label + "  ", x: x, y: y, color: .muted)
        }
    }
}
