@testable import CaseCore
@testable import CaseDesk
import Foundation
import Testing

/// The board drawn from a state made here (no SQLite): titles that carry counts.
@Suite struct BoardViewTests {
    static func drawn(risk rows: Int, total: Int) -> VirtualScreen {
        var s = DeskState(me: DeskUpdateTests.dana, size: ScreenSize(cols: 120, rows: 30), now: DeskUpdateTests.now)
        s.mode = .board
        s.board = Board(team: "Tier 1", agents: [], depth: [], atRisk: (1...Int64(rows)).map { DeskUpdateTests.row($0, dueIn: 0.5) },
                        atRiskTotal: total)
        let screen = VirtualScreen(cols: 120, rows: 30)
        BoardView.render(s, on: screen)
        return screen
    }

    @Test func theRiskTitleCountsEveryCaseAndSaysHowManyAreListed() {
        // 93 at risk, 50 listed (the board's limit): the title says both.
        #expect(Self.drawn(risk: 50, total: 93).text().contains("At SLA risk · 93 case(s) · first 50 shown"))
        // All of them listed: no "first N shown".
        let all = Self.drawn(risk: 7, total: 7).text()
        #expect(all.contains("At SLA risk · 7 case(s)") && !all.contains("shown"))
    }
}
