import CaseCore
import Foundation

/// The timeline as screen lines: one event per entry, wrapped under its time.
enum TimelineLayout {
    struct Line: Equatable {
        var time: String
        var symbol: String
        var text: String
        var kind: CaseEvent.Kind
    }

    /// Wrapping a long timeline costs more than drawing it, and every frame with the
    /// case on screen (a key in an overlay, a scroll) asks again for the same lines.
    static func lines(_ detail: CaseDetail, width: Int, zone: TimeZone) -> [Line] {
        let key = CacheKey(detail: detail, width: width, zone: zone)
        if let hit = cache.get(key) { return hit }
        let lines = layout(detail, width: width, zone: zone)
        cache.set(key, lines)
        return lines
    }

    struct CacheKey: Equatable { var detail: CaseDetail; var width: Int; var zone: TimeZone }

    /// The last layout (one entry: the open case); the lock is never contended on the desk.
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var entry: (key: CacheKey, lines: [Line])?
        func get(_ key: CacheKey) -> [Line]? { lock.withLock { entry?.key == key ? entry?.lines : nil } }
        func set(_ key: CacheKey, _ lines: [Line]) { lock.withLock { entry = (key, lines) } }
    }
    private static let cache = Cache()

    private static func layout(_ detail: CaseDetail, width: Int, zone: TimeZone) -> [Line] {
        let textWidth = max(8, width - 9)
        var out: [Line] = []
        var lastDay = ""
        for e in detail.events {
            let day = DeskView.format(e.at, "EEE d MMM", zone)
            if day != lastDay { out.append(Line(time: "", symbol: "", text: "── \(day) ──", kind: .created)); lastDay = day }
            let wrapped = wrap(TimelineText.line(for: e, delivery: detail.deliveries[e.id]), width: textWidth)
            for (i, text) in wrapped.enumerated() {
                out.append(Line(time: i == 0 ? DeskView.format(e.at, "HH:mm", zone) : "",
                                symbol: i == 0 ? TimelineText.symbol(for: e.kind) : "", text: text, kind: e.kind))
            }
        }
        return out
    }
}

/// The open case: header (customer, channel, call type, priority, status, due,
/// self-service) and the whole timeline across channels, scrollable.
enum CaseView {
    static let headerLines = 3

    static func render(_ s: DeskState, _ r: Rect, focused: Bool, on screen: Screen) {
        guard let open = s.open else {
            DeskView.frame(screen, r, title: "Case", focused: focused)
            screen.put(DeskView.text("No case open. Enter opens the selected case; n takes the next one.", screen),
                       x: r.x + 2, y: r.y + 1, maxWidth: r.w - 4, color: .muted)
            return
        }
        let c = open.detail.record, cu = open.detail.customer
        let title = "Case #\(c.id) · \(c.callType ?? "no call type") · \(c.priority) · \(c.status.rawValue) · due \(DeskView.shortTime(c.dueAt, s))"
        DeskView.frame(screen, r, title: title, focused: focused)
        let x = r.x + 2, w = r.w - 4
        guard w > 4, r.h > 2 else { return }
        var line1 = "Customer: \(cu.name) · \(c.channel.rawValue)"
        if c.selfService { line1 += " · tried self-service" }
        if let account = cu.account { line1 += " · acct \(account)" }
        let others = open.detail.otherOpenCases
        let othersText = others == 0 ? "" : "\(others) other open case\(others == 1 ? "" : "s") (C)"
        // Who else has this case on screen right now, and whether they are typing:
        // right-aligned, so a long customer line is what gets cut, never this.
        var presenceWidth = 0
        if !s.presence.isEmpty {
            let others = "also here: " + s.presence.map { $0.login + ($0.typing ? " (typing)" : "") }.joined(separator: ", ")
            let text = DeskView.text(truncate(others, toWidth: max(0, w / 2)), screen)
            presenceWidth = displayWidth(of: text) + 2
            screen.put(text, x: x + w - presenceWidth + 2, y: r.y + 1, attr: .bold, color: .warn)
        }
        let used = screen.put(DeskView.text(line1, screen), x: x, y: r.y + 1, maxWidth: w - presenceWidth, attr: .bold)
        if !othersText.isEmpty, used + 3 < w - presenceWidth {
            screen.put(DeskView.text(" · " + othersText, screen), x: x + used, y: r.y + 1, maxWidth: w - presenceWidth - used, attr: .bold, color: .warn)
        }
        let state = DeskView.sla(c.dueAt, pausedAt: c.slaPausedAt, s)
        let (mark, slaColor) = DeskView.slaMark(state, unicode: screen.unicode)
        var line2 = "\(c.subject)"
        line2 = "Owner: \(c.assignee ?? "unassigned") · v\(c.version) · " + line2
        if r.h > 3 {
            let used = screen.put(DeskView.text(line2, screen), x: x, y: r.y + 2, maxWidth: w - 16)
            if c.status.isOpen {
                let remaining = c.dueAt.timeIntervalSince(s.now)
                let left = state == .paused ? "clock paused" : remaining < 0 ? "\(DeskView.clock(-remaining)) over" : "\(DeskView.clock(remaining)) left"
                screen.put(DeskView.text("\(mark) \(left)", screen),
                           x: x + used + 2, y: r.y + 2, maxWidth: max(0, w - used - 2), attr: state == .ok ? [] : .bold, color: state == .ok ? .muted : slaColor)
            }
        }
        if r.h > 4 { screen.hline(x: r.x + 1, y: r.y + 3, width: r.w - 2) }
        let lines = TimelineLayout.lines(open.detail, width: r.w - 2, zone: s.timeZone)
        let visible = max(0, r.h - 2 - headerLines)
        let maxTop = max(0, lines.count - visible)
        let top = min(open.scroll ?? maxTop, maxTop)
        for (i, line) in lines[top..<min(lines.count, top + visible)].enumerated() {
            let y = r.y + 1 + headerLines + i
            if line.symbol.isEmpty && line.time.isEmpty && line.text.hasPrefix("──") {
                screen.put(DeskView.text(line.text, screen), x: x, y: y, maxWidth: w, color: .muted)
                continue
            }
            screen.put(line.time, x: r.x + 1, y: y, color: .muted)
            screen.put(DeskView.text(line.symbol, screen), x: r.x + 7, y: y, color: color(for: line.kind))
            screen.put(DeskView.text(line.text, screen), x: r.x + 9, y: y, maxWidth: r.w - 10,
                       color: line.kind == .message || line.kind == .customerLine ? .accent : .normal)
        }
        if top > 0 { screen.put(screen.unicode ? "▲" : "^", x: r.x + r.w - 2, y: r.y + headerLines, color: .muted) }
        if top < maxTop { screen.put(screen.unicode ? "▼" : "v", x: r.x + r.w - 2, y: r.y + r.h - 1, color: .muted) }
    }

    static func color(for kind: CaseEvent.Kind) -> ColorRole {
        switch kind {
        case .message, .customerLine, .call: .accent
        case .response, .step, .resolve: .ok
        case .flag: .warn
        default: .muted
        }
    }
}
