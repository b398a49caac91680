@testable import CaseCore
@testable import CaseDesk
import Foundation
import Testing

/// Golden screens whose meaning is in the colour: the SLA states and the selected row.
/// Drawn from a state made here (no SQLite), text and colours each against a golden file.
@Suite struct ColourGoldenTests {
    /// One row in each SLA state: breached, nearing (inside the at-risk hour), paused, ok.
    static func state() -> DeskState {
        var s = DeskState(me: DeskUpdateTests.alice, size: ScreenSize(cols: 120, rows: 16), now: DeskUpdateTests.now)
        s.timeZone = TimeZone(identifier: "UTC")!
        var rows = [DeskUpdateTests.row(1, priority: .p1, dueIn: -2), DeskUpdateTests.row(2, priority: .p2, dueIn: 0.5),
                    DeskUpdateTests.row(3, dueIn: 3), DeskUpdateTests.row(4, priority: .p4, dueIn: 30)]
        rows[2].slaPausedAt = DeskUpdateTests.now.addingTimeInterval(-600)
        _ = DeskUpdate.update(&s, .queueLoaded(QueuePage(view: .mine, request: .first, rows: rows,
                                                         counts: QueueCounts(view: .mine, open: 4, atRisk: 2), full: false)))
        _ = DeskUpdate.update(&s, .key(.down))
        return s
    }

    @Test func slaStatesAndTheSelectedRow() throws {
        var s = Self.state()
        let screen = VirtualScreen(cols: 120, rows: 16)
        DeskView.render(s, on: screen)
        for (y, mark, color) in [(2, "✖", ColorRole.danger), (3, "⚠", .warn), (4, "‖", .muted)] {
            #expect(screen.styledRow(y).contains { $0.text == mark && $0.color == color }, "line \(y)")
        }
        try expectGolden(screen, "queue-120x16-sla")
        try expectGoldenColours(screen, "queue-120x16-sla")
        // Another pane focused: the selected row is bold, no longer reversed.
        _ = DeskUpdate.update(&s, .key(.tab))
        DeskView.render(s, on: screen)
        try expectGoldenColours(screen, "queue-120x16-sla-unfocused")
    }
}
