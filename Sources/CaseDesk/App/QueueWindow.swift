import CaseCore
import Foundation

/// The queue pane's window onto a view of a million rows: the rows kept in memory
/// (at most `windowLimit`), the selection and the top row on screen, and the keyset
/// pages that extend, shift or reload the window. Pure, like `DeskUpdate`.
enum QueueWindow {
    /// Rows kept around the window; older ones are dropped and re-read on demand.
    static let windowLimit = 400

    /// Move the selection; read the next page before the user reaches the edge.
    static func move(_ s: inout DeskState, by delta: Int) -> [Effect] {
        guard !s.queue.rows.isEmpty else { return [] }
        s.queue.selected = max(0, min(s.queue.rows.count - 1, s.queue.selected + delta))
        clamp(&s)
        return prefetch(s)
    }

    /// Keep the selection visible, and read the next page before the user reaches the edge.
    static func clamp(_ s: inout DeskState) {
        let visible = DeskLayout(s.size).queueRows
        var q = s.queue
        q.selected = max(0, min(q.selected, q.rows.count - 1))
        if q.selected < q.top { q.top = q.selected }
        if q.selected >= q.top + visible { q.top = q.selected - visible + 1 }
        q.top = max(0, min(q.top, max(0, q.rows.count - visible)))
        s.queue = q
    }

    static func prefetch(_ s: DeskState) -> [Effect] {
        let q = s.queue, visible = DeskLayout(s.size).queueRows
        if q.moreAfter, q.selected + visible >= q.rows.count, let last = q.rows.last {
            return [load(s, .after(last.cursor))]
        }
        if q.moreBefore, q.selected - visible < 0, let first = q.rows.first {
            return [load(s, .before(first.cursor))]
        }
        return []
    }

    static func pageSize(_ s: DeskState) -> Int { max(50, DeskLayout(s.size).queueRows * 2) }

    static func load(_ s: DeskState, _ request: PageRequest) -> Effect {
        .loadQueue(s.queue.view, request, limit: pageSize(s))
    }

    /// Re-read what is on screen, from the top row of the window.
    static func reload(_ s: DeskState) -> Effect {
        guard s.queue.rows.indices.contains(s.queue.top), s.queue.top > 0 || s.queue.moreBefore else {
            return load(s, .first)
        }
        return load(s, .around(s.queue.rows[s.queue.top].cursor))
    }

    static func apply(_ s: inout DeskState, _ page: QueuePage) -> [Effect] {
        guard page.view == s.queue.view else { return [] }
        var q = s.queue
        let keepId = q.selectedRow?.id
        if let counts = page.counts {
            q.openCount = counts.open; q.riskCount = counts.atRisk; q.countsStale = false
        } else if case .around = page.request {
            q.countsStale = true
        }
        let visible = DeskLayout(s.size).queueRows
        switch page.request {
        case .first:
            // Follow-ups that are due come first, marked; the keyset page follows without them.
            let due = Set(page.followUps.map(\.id))
            q.followUpDue = page.followUps.map(\.id)
            q.rows = page.followUps + page.rows.filter { !due.contains($0.id) }; q.top = 0; q.moreBefore = false; q.moreAfter = page.full
            q.selected = keepId.flatMap { id in q.rows.firstIndex { $0.id == id } } ?? min(q.selected, max(0, q.rows.count - 1))
        case .last:
            q.rows = page.rows; q.moreAfter = false; q.moreBefore = page.full
            q.selected = max(0, q.rows.count - 1); q.top = max(0, q.rows.count - visible)
        case .around:
            let selectedOffset = q.selected - q.top
            q.rows = page.rows; q.moreAfter = page.full
            q.top = 0
            q.selected = keepId.flatMap { id in q.rows.firstIndex { $0.id == id } } ?? max(0, min(selectedOffset, q.rows.count - 1))
        case .after:
            q.rows += page.rows; q.moreAfter = page.full
            if q.rows.count > windowLimit {
                let drop = q.rows.count - windowLimit
                q.rows.removeFirst(drop); q.selected -= drop; q.top -= drop; q.moreBefore = true
            }
        case .before:
            q.rows = page.rows + q.rows; q.moreBefore = page.full
            q.selected += page.rows.count; q.top += page.rows.count
            if q.rows.count > windowLimit {
                q.rows.removeLast(q.rows.count - windowLimit); q.moreAfter = true
            }
        }
        s.queue = q
        clamp(&s)
        return []
    }
}
