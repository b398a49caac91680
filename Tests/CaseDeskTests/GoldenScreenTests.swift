import CaseCore
import CaseDesk
import Testing

/// The desk drawn on an in-memory screen at fixed sizes, clock, time zone and data.
@Suite struct GoldenScreenTests {
    @Test func wideDeskWithBranchingScript() throws {
        let (desk, screen, _) = try DeskFixtures.desk(cols: 160, rows: 45)
        // María's case (first: P2): greet and verify done, the diagnose question is current.
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.open?.detail.customer.name == "María Núñez")
        #expect(desk.state.open?.position?.current?.id == "diagnose")
        try expectGolden(screen, "desk-160x45")
    }

    @Test func narrowDeskStacksPanes() throws {
        let (desk, screen, _) = try DeskFixtures.desk(cols: 90, rows: 30)
        try expectGolden(screen, "desk-90x30-queue")
        DeskFixtures.keys(desk, [.enter])
        #expect(desk.state.focus == .caseDetail)
        try expectGolden(screen, "desk-90x30-case")
        DeskFixtures.keys(desk, [.tab])
        try expectGolden(screen, "desk-90x30-script")
    }

    @Test func smallestDesk() throws {
        let (_, screen, _) = try DeskFixtures.desk(cols: 40, rows: 12)
        try expectGolden(screen, "desk-40x12")
    }

    @Test func tooSmallSaysWhatItNeeds() throws {
        let (desk, screen, _) = try DeskFixtures.desk(cols: 20, rows: 6)
        try expectGolden(screen, "desk-20x6")
        screen.resize(cols: 160, rows: 45)
        desk.send(.resize(screen.size))
        #expect(screen.text().contains("Queue · mine"))
    }

    @Test func cjkNameAlignsInQueueAndCase() throws {
        let (desk, screen, _) = try DeskFixtures.desk(cols: 120, rows: 24)
        DeskFixtures.keys(desk, [.down, .down, .enter])
        #expect(desk.state.open?.detail.customer.name == "李娜")
        try expectGolden(screen, "desk-120x24-cjk")
    }

    @Test func helpOverlayListsThePaneBindings() throws {
        let (desk, screen, _) = try DeskFixtures.desk(cols: 160, rows: 45)
        DeskFixtures.keys(desk, [.char("?")])
        try expectGolden(screen, "desk-160x45-help")
        for binding in Keymap.bindings(in: .queue) { #expect(screen.text().contains(binding.help)) }
        DeskFixtures.keys(desk, [.escape])
        #expect(desk.state.overlay == nil)
    }

    @Test func monochromeAndASCIIStillShowSLAState() throws {
        let (_, screen, _) = try DeskFixtures.desk(cols: 100, rows: 20, unicode: false, color: false)
        try expectGolden(screen, "desk-100x20-ascii")
        let text = screen.text()
        #expect(text.contains("X -1h00m"))   // overdue, marked without colour
        #expect(text.contains("! 12m"))      // nearing its due time
        #expect(text.contains("Maria Nunez"))
    }

    @Test func slaStatesAreColoured() throws {
        let (_, screen, _) = try DeskFixtures.desk(cols: 160, rows: 45)
        let rows = screen.text().split(separator: "\n", omittingEmptySubsequences: false)
        let overdue = try #require(rows.firstIndex { $0.contains("María Núñez") })
        let nearing = try #require(rows.firstIndex { $0.contains("Oda Ren") })
        #expect(screen.styledRow(overdue).contains { $0.text == "✖" && $0.color == .danger })
        #expect(screen.styledRow(nearing).contains { $0.text == "⚠" && $0.color == .warn })
    }
}
