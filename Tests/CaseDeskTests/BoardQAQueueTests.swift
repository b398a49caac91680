import CaseCore
import CaseDesk
import Foundation
import Testing

/// `Q` on the lead board: the list switches to the QA queue and back; a reviewed case leaves it.
@Suite struct BoardQAQueueTests {
    @Test func qShowsTheCasesToReviewAndAReviewedOneLeaves() throws {
        let store = try DeskFixtures.store()
        var pack = DeskFixtures.pack
        pack.settings.qaSamplePerAgentWeek = 1
        pack.scorecards = [Scorecard(id: "qa", name: "QA", criteria: [ScorecardCriterion(id: "greeting", text: "Greeting", weight: 100)])]
        try store.install(pack)
        // Two cases alice resolved this week: the sample of one per agent lists one of them.
        var resolved: [Int64] = []
        for _ in 0..<2 {
            let id = try store.createCase(NewCase(customer: "Ann Lee", channel: .phone, callType: "billing", subject: "Refund"), by: nil)
            try store.assign(id, to: "alice", by: "dana")
            try store.resolve(id, code: "fixed", by: "alice")
            resolved.append(id)
        }
        let screen = VirtualScreen(cols: 160, rows: 45)
        let desk = try Desk(store: store, login: "dana", screen: screen, clock: { DeskFixtures.now })
        desk.start(board: true)
        #expect(screen.text().contains("At SLA risk"))
        DeskFixtures.keys(desk, [.char("Q")])
        #expect(screen.text().contains("To review (QA) · 1 case(s)"))
        let listed = try #require(desk.state.boardRows.first?.id)
        #expect(resolved.contains(listed) && desk.state.boardRows.count == 1)
        // Once reviewed, alice has this week's sample: nothing left to review.
        try store.qaReview(listed, as: "dana", scores: ["greeting": 1], note: "good")
        desk.send(.tick(DeskFixtures.now))
        #expect(screen.text().contains("Nothing to review"))
        DeskFixtures.keys(desk, [.char("Q")])
        #expect(screen.text().contains("At SLA risk"))
    }
}
