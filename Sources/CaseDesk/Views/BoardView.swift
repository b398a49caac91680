import CaseCore
import Foundation

/// The lead board: each agent's state and load, queue depth per call type with the
/// oldest waiting, and the cases at SLA risk, soonest first (select, assign, open).
enum BoardView {
    static func render(_ s: DeskState, on screen: Screen) {
        let body = Rect(x: 0, y: 1, w: s.size.cols, h: s.size.rows - 2)
        guard let board = s.board else {
            DeskView.frame(screen, body, title: "Board", focused: true)
            screen.put("loading…", x: 2, y: 2, color: .muted)
            return
        }
        let topHeight = min(max(board.agents.count, board.depth.count, 1) + 3, body.h / 2)
        let agentsWidth = s.size.cols >= 100 ? s.size.cols * 11 / 20 : s.size.cols
        agents(board, s, Rect(x: 0, y: body.y, w: agentsWidth, h: topHeight), on: screen)
        var riskTop = body.y + topHeight
        if agentsWidth < s.size.cols {
            depth(board, s, Rect(x: agentsWidth, y: body.y, w: s.size.cols - agentsWidth, h: topHeight), on: screen)
        } else {
            let h = min(board.depth.count + 3, max(4, (body.h - topHeight) / 2))
            depth(board, s, Rect(x: 0, y: riskTop, w: s.size.cols, h: h), on: screen)
            riskTop += h
        }
        if !board.csatAlerts.isEmpty {
            let h = min(board.csatAlerts.count + 2, 5, max(0, (body.y + body.h - riskTop) / 2))
            if h >= 3 {
                csat(board, s, Rect(x: 0, y: riskTop, w: s.size.cols, h: h), on: screen)
                riskTop += h
            }
        }
        risk(board, s, Rect(x: 0, y: riskTop, w: s.size.cols, h: body.y + body.h - riskTop), on: screen)
    }

    /// Low CSAT scores as they arrive: score, case, agent, call type and the comment (as text).
    static func csat(_ board: Board, _ s: DeskState, _ r: Rect, on screen: Screen) {
        let shown = board.csatAlertTotal > r.h - 2 ? " · newest \(r.h - 2) shown" : ""
        DeskView.frame(screen, r, title: "Low CSAT · \(board.csatAlertTotal) in \(CaseStore.csatAlertDays) days\(shown)", focused: false)
        for (i, a) in board.csatAlerts.prefix(r.h - 2).enumerated() {
            let y = r.y + 1 + i
            var x = r.x + 2
            x += screen.put("\(a.score)/5", x: x, y: y, attr: .bold, color: .danger) + 1
            let head = "#\(a.caseId) \(a.agent ?? "unassigned") \(a.callType ?? "—") \(DeskView.shortTime(a.at, s))"
            x += screen.put(DeskView.text(head, screen), x: x, y: y, maxWidth: max(0, r.x + r.w - 2 - x)) + 1
            if let comment = a.comment, x < r.x + r.w - 2 {
                let line = comment.split(whereSeparator: \.isNewline).joined(separator: " ")
                screen.put(DeskView.text("“\(line)”", screen), x: x, y: y, maxWidth: r.x + r.w - 2 - x, color: .muted)
            }
        }
    }

    static func columns(_ screen: Screen, _ cells: [(String, Int)], x: Int, y: Int, attr: TextAttr = [], color: ColorRole = .normal) {
        var cx = x
        for (text, width) in cells {
            screen.put(pad(DeskView.text(text, screen), toWidth: width), x: cx, y: y, maxWidth: width, attr: attr, color: color)
            cx += width + 1
        }
    }

    static func agents(_ board: Board, _ s: DeskState, _ r: Rect, on screen: Screen) {
        DeskView.frame(screen, r, title: "Agents" + (board.team.map { " · \($0)" } ?? ""), focused: false)
        let nameWidth = max(8, r.w - 2 - 12 - 16 - 6 - 8 - 5)
        columns(screen, [("LOGIN", 12), ("NAME", nameWidth), ("NOW", 16), ("OPEN", 6), ("TODAY", 8)], x: r.x + 2, y: r.y + 1, attr: .bold, color: .muted)
        for (i, a) in board.agents.prefix(max(0, r.h - 3)).enumerated() {
            let (state, color): (String, ColorRole) = switch a.state {
            case .onCase(let id): ("on case #\(id)", .ok)
            case .idle: ("idle", .warn)
            case .away: ("away", .muted)
            }
            columns(screen, [(a.login, 12), (a.name, nameWidth), (state, 16), (String(a.openCases), 6), (String(a.handledToday), 8)],
                    x: r.x + 2, y: r.y + 2 + i)
            screen.put(pad(state, toWidth: 16), x: r.x + 2 + 13 + nameWidth + 1, y: r.y + 2 + i, maxWidth: 16, color: color)
        }
    }

    static func depth(_ board: Board, _ s: DeskState, _ r: Rect, on screen: Screen) {
        DeskView.frame(screen, r, title: "Waiting by call type", focused: false)
        let codeWidth = max(8, r.w - 2 - 8 - 10 - 3)
        columns(screen, [("CALL TYPE", codeWidth), ("WAITING", 8), ("OLDEST", 10)], x: r.x + 2, y: r.y + 1, attr: .bold, color: .muted)
        for (i, d) in board.depth.prefix(max(0, r.h - 3)).enumerated() {
            let oldest = d.oldest.map { DeskView.age(s.now.timeIntervalSince($0)) } ?? "-"
            columns(screen, [(d.callType ?? "(none yet)", codeWidth), (String(d.waiting), 8), (oldest, 10)], x: r.x + 2, y: r.y + 2 + i)
        }
    }

    static func risk(_ board: Board, _ s: DeskState, _ r: Rect, on screen: Screen) {
        guard r.h >= 3 else { return }
        let marked = s.boardMarked.isEmpty ? "" : " · \(s.boardMarked.count) selected"
        let rows = s.boardRows
        if s.boardShowsQA {
            DeskView.frame(screen, r, title: "To review (QA) · \(rows.count) case(s) · this week's sample per agent · Q: at risk\(marked)", focused: true)
        } else {
            let shown = board.atRiskTotal > board.atRisk.count ? " · first \(board.atRisk.count) shown" : ""
            DeskView.frame(screen, r, title: "At SLA risk · \(board.atRiskTotal) case(s)\(shown)\(marked)", focused: true)
        }
        if rows.isEmpty {
            screen.put(s.boardShowsQA ? "Nothing to review: every agent has this week's reviews." : "Nothing at risk.", x: r.x + 2, y: r.y + 1, color: .muted)
            return
        }
        let visible = r.h - 2
        let top = max(0, s.boardSelected - visible + 1)
        let u = screen.unicode
        for (i, row) in rows.dropFirst(top).prefix(visible).enumerated() {
            let index = top + i, y = r.y + 1 + i
            let selected = index == s.boardSelected
            let attr: TextAttr = selected ? .reverse : []
            screen.fill(x: r.x + 1, y: y, width: r.w - 2, height: 1, attr: attr, color: selected ? .selection : .normal)
            let mark = s.boardMarked.contains(row.id) ? (u ? "●" : "*") : " "
            let state = DeskView.sla(row.dueAt, pausedAt: row.slaPausedAt, s)
            let (slaMark, slaColor) = DeskView.slaMark(state, unicode: u)
            var x = r.x + 1
            x += screen.put(mark, x: x, y: y, attr: attr.union(.bold), color: selected ? .selection : .accent)
            x += screen.put(pad(" \(row.priority) #\(row.id)", toWidth: 12), x: x, y: y, attr: attr, color: selected ? .selection : .normal)
            // A case to review is done: its status instead of an SLA clock.
            let clock = s.boardShowsQA ? " \(row.status.rawValue)" : "\(slaMark) \(DeskView.slaClock(row.dueAt, pausedAt: row.slaPausedAt, s))"
            x += screen.put(pad(clock, toWidth: 10), x: x, y: y,
                            attr: attr.union(.bold), color: selected ? .selection : (s.boardShowsQA ? .normal : slaColor))
            let rest = r.x + r.w - 1 - x
            let cells = [(row.assignee ?? "unassigned", 12), (row.customer, max(8, rest * 2 / 5 - 13)), (row.callType ?? "—", max(8, rest - 12 - max(8, rest * 2 / 5 - 13) - 2))]
            for (text, w) in cells where x < r.x + r.w - 1 {
                let room = min(w, r.x + r.w - 1 - x)
                screen.put(pad(DeskView.text(text, screen), toWidth: room), x: x, y: y, maxWidth: room, attr: attr, color: selected ? .selection : .normal)
                x += room + 1
            }
        }
    }
}
