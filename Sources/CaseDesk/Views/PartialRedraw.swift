/// Redraw only what changed: after a key that moves in the queue, only the queue
/// pane is drawn again; after one that opens a case, only the case and script
/// panes. Each pane is skipped only when the state differs from the last drawn one
/// in fields listed here as not shown by it, so a field added later to the state is
/// redrawn everywhere until someone says which pane shows it.
enum PartialRedraw {
    /// Draws what changed between `previous` and `s` and returns true, or returns
    /// false when only a full draw will do (another size, focus, mode or an overlay).
    static func render(_ s: DeskState, previous p: DeskState, on screen: Screen) -> Bool {
        let layout = DeskLayout(s.size)
        guard layout.mode == .wide, s.mode == .desk, p.mode == .desk, s.size == p.size, s.focus == p.focus,
              s.overlay == nil, p.overlay == nil, s.training == p.training else { return false }
        screen.setCursor(nil)
        StatusBar.render(s, layout, on: screen)
        for pane in Pane.allCases where !unchanged(pane, s, p) {
            let r = layout.rect(pane)
            // A move within the queue's window: only the lines whose row or selection changed.
            if pane == .queue, onlyLinesChanged(s, p),
               QueuePaneView.redrawLines(s, previous: p, r, focused: s.focus == .queue, on: screen) { continue }
            screen.fill(x: r.x, y: r.y, width: r.w, height: r.h)
            DeskView.renderPane(pane, s, layout, on: screen)
        }
        HintLine.render(s, on: screen)
        screen.refresh()
        return true
    }

    /// True when nothing `pane` shows differs: the states are equal once the fields
    /// the pane does not show are made equal.
    static func unchanged(_ pane: Pane, _ s: DeskState, _ p: DeskState) -> Bool {
        var a = s, b = p
        neutralise(&a, for: pane)
        neutralise(&b, for: pane)
        return a == b
    }

    /// True when the queue pane's frame and title are as drawn: the states differ at
    /// most in the queue's rows, selection and window (which `QueuePaneView.Lines` compares).
    static func onlyLinesChanged(_ s: DeskState, _ p: DeskState) -> Bool {
        func frameOnly(_ s: DeskState) -> DeskState {
            var x = s
            neutralise(&x, for: .queue)
            x.queue.rows = []; x.queue.selected = 0; x.queue.top = 0
            x.queue.moreAfter = false; x.queue.moreBefore = false; x.queue.followUpDue = []
            return x
        }
        return frameOnly(s) == frameOnly(p)
    }

    /// Fields drawn by the status and hint lines (always redrawn) or by no pane.
    private static func neutralise(_ s: inout DeskState, for pane: Pane) {
        s.notice = nil
        s.saving = false
        s.lastInput = .distantPast
        s.retry = nil
        switch pane {
        case .queue:
            s.open = nil
            s.presence = []
        case .caseDetail, .script:
            s.queue = QueueState()
        }
    }
}
