import CaseCore
import CaseDesk
import Foundation
import Testing

/// The lead board driven by messages, and drawn on an in-memory screen.
@Suite struct BoardTests {
    func leadDesk(cols: Int = 160, rows: Int = 45) throws -> (Desk, VirtualScreen, CaseStore) {
        let store = try DeskFixtures.store()
        try store.addUser(login: "bob", name: "Bob Okafor", role: .agent, team: "Tier 1")
        let screen = VirtualScreen(cols: cols, rows: rows)
        let desk = try Desk(store: store, login: "dana", screen: screen, clock: { DeskFixtures.now })
        desk.start(board: true)
        return (desk, screen, store)
    }

    @Test func boardShowsAgentsDepthAndRisk() throws {
        let (desk, screen, _) = try leadDesk()
        #expect(desk.state.mode == .board)
        let board = try #require(desk.state.board)
        #expect(board.agents.map(\.login).contains("alice"))
        #expect(board.atRisk.first?.customer == "María Núñez")
        try expectGolden(screen, "board-160x45")
    }

    @Test func leadMovesTwoCasesWithAReason() throws {
        let (desk, screen, store) = try leadDesk()
        let risk = try #require(desk.state.board?.atRisk)
        #expect(risk.count >= 2)
        DeskFixtures.keys(desk, [.char(" "), .char(" ")])
        #expect(desk.state.boardMarked == Set(risk.prefix(2).map(\.id)))
        DeskFixtures.keys(desk, [.char("a")])
        DeskFixtures.type(desk, "bob")
        DeskFixtures.keys(desk, [.enter])
        DeskFixtures.type(desk, "alice is off sick")
        DeskFixtures.keys(desk, [.enter])
        for row in risk.prefix(2) {
            let record = try store.record(row.id)
            #expect(record.assignee == "bob")
            #expect(try store.detail(row.id).events.last?.body == "alice is off sick")
        }
        #expect(screen.text().contains("moved 2 cases to bob"))
        #expect(desk.state.boardMarked.isEmpty)
    }

    @Test func agentsHaveNoBoardAndCannotReassign() throws {
        let (desk, screen, _) = try DeskFixtures.desk(cols: 160, rows: 45)
        desk.send(.key(.char("L")))
        #expect(desk.state.mode == .desk)
        desk.send(.key(.char("a")))
        #expect(desk.state.overlay == nil)
        #expect(!screen.text().contains("assign"))   // no lead keys in the agent's hint line
    }

    @Test func enterOpensTheCaseInTheDesk() throws {
        let (desk, _, _) = try leadDesk()
        let first = try #require(desk.state.board?.atRisk.first)
        desk.send(.key(.enter))
        #expect(desk.state.mode == .desk)
        #expect(desk.state.open?.id == first.id)
        desk.send(.key(.char("L")))
        #expect(desk.state.mode == .board)
    }
}
