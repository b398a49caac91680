import CaseCore
import Foundation

/// The queue: one row per case with priority, a live SLA clock, id, customer, call type, channel and age.
enum QueuePaneView {
    static func render(_ s: DeskState, _ r: Rect, focused: Bool, on screen: Screen) {
        let q = s.queue
        let title = "Queue · \(q.view.label) (\(s.me.login) · \(q.openCount) open · \(q.riskCount) at risk)"
        DeskView.frame(screen, r, title: title, focused: focused)
        let inner = r.w - 2
        guard inner > 10 else { return }
        if q.rows.isEmpty {
            let hint = q.view == .mine ? "No open cases. Press n to take the next one." : "Nothing here."
            screen.put(DeskView.text(hint, screen), x: r.x + 2, y: r.y + 1, maxWidth: inner - 2, color: .muted)
            return
        }
        let lines = self.lines(s, r)
        for (i, line) in lines.rows.enumerated() {
            draw(line.row, s, x: r.x + 1, y: r.y + 1 + i, width: inner, idWidth: lines.idWidth, selected: line.selected, focused: focused, on: screen)
        }
        if lines.more {
            screen.put(screen.unicode ? "▼" : "v", x: r.x + r.w - 2, y: r.y + r.h - 1, color: .muted)
        }
    }

    /// What the pane's rows show: one entry a screen line, the id column's width and the ▼ mark.
    struct Lines: Equatable {
        struct Line: Equatable { var row: QueueRow; var selected: Bool; var followUp: Bool }
        var rows: [Line]
        var idWidth: Int
        var more: Bool
    }

    static func lines(_ s: DeskState, _ r: Rect) -> Lines {
        let q = s.queue
        let visible = max(1, r.h - 2)
        let range = q.top..<min(q.rows.count, q.top + visible)
        let rows = range.map { Lines.Line(row: q.rows[$0], selected: $0 == q.selected, followUp: q.followUpDue.contains(q.rows[$0].id)) }
        let idWidth = (rows.map { "#\($0.row.id)".count }.max() ?? 2) + 1
        return Lines(rows: rows, idWidth: idWidth, more: q.moreAfter || q.top + visible < q.rows.count)
    }

    /// After a move (the same rows, the selection elsewhere): draws only the lines
    /// that differ and returns true; false when the pane must be drawn whole.
    static func redrawLines(_ s: DeskState, previous p: DeskState, _ r: Rect, focused: Bool, on screen: Screen) -> Bool {
        guard r.w - 2 > 10, !s.queue.rows.isEmpty, !p.queue.rows.isEmpty else { return false }
        let new = lines(s, r), old = lines(p, r)
        guard new.idWidth == old.idWidth, new.more == old.more, new.rows.count == old.rows.count else { return false }
        for (i, line) in new.rows.enumerated() where line != old.rows[i] {
            draw(line.row, s, x: r.x + 1, y: r.y + 1 + i, width: r.w - 2, idWidth: new.idWidth, selected: line.selected, focused: focused, on: screen)
        }
        return true
    }

    static func draw(_ row: QueueRow, _ s: DeskState, x: Int, y: Int, width: Int, idWidth: Int, selected: Bool, focused: Bool, on screen: Screen) {
        let u = screen.unicode
        let rowAttr: TextAttr = selected ? (focused ? .reverse : .bold) : .normal
        let base: ColorRole = selected && focused ? .selection : .normal
        screen.fill(x: x, y: y, width: width, height: 1, attr: rowAttr, color: base)
        var cx = x
        /// One column; text columns keep their last cell blank so neighbours never touch.
        func put(_ text: String, _ w: Int, color: ColorRole = base, attr: TextAttr = [], gap: Bool = false) {
            guard cx < x + width else { return }
            let room = min(w, x + width - cx)
            let shown = pad(DeskView.text(text, screen), toWidth: gap ? max(0, room - 1) : room, ellipsis: u ? "…" : "~")
            screen.put(shown, x: cx, y: y, maxWidth: room, attr: rowAttr.union(attr), color: color)
            cx += room
        }
        put(selected ? (u ? "▸" : ">") : " ", 1)
        put(row.priority.description, 3, color: row.priority == .p1 ? .danger : base, attr: row.priority == .p1 ? .bold : [])
        put("#\(row.id)", idWidth)
        let state = DeskView.sla(row.dueAt, pausedAt: row.slaPausedAt, s)
        let (mark, markColor) = DeskView.slaMark(state, unicode: u)
        put(mark, 2, color: state == .ok ? base : markColor, attr: state == .ok ? [] : .bold)
        put(DeskView.slaClock(row.dueAt, pausedAt: row.slaPausedAt, s), 7, color: state == .ok ? base : markColor)
        // Customer and call type share what is left; channel and age only when there is room.
        let rest = x + width - cx
        let tail = rest >= 52 ? 13 : 0
        let flexible = rest - tail
        // On a narrow queue the customer's name matters more than the call type.
        var customerWidth = max(12, flexible * 11 / 20)
        if flexible - customerWidth < 8 { customerWidth = flexible }
        let followUp = s.queue.followUpDue.contains(row.id)   // in `Lines.Line` too: a change redraws the row
        put((followUp ? (u ? "↻ follow-up due · " : "follow-up due: ") : "") + row.customer, customerWidth, color: followUp && !(selected && focused) ? .warn : base, gap: true)
        if flexible > customerWidth { put(row.callType ?? "—", flexible - customerWidth, gap: true) }
        if tail > 0 {
            put(row.channel.rawValue, 8, color: selected && focused ? base : .muted)
            put(DeskView.age(s.now.timeIntervalSince(row.createdAt)), 5, color: selected && focused ? base : .muted)
        }
    }
}
