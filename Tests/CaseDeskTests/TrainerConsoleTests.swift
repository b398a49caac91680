import CaseCore
import CaseDesk
import Foundation
import Testing

/// A training database at a fixed moment: two trainees on a billing role-play.
enum TrainingFixtures {
    static let yaml = """
    id: styles-dispute
    title: The spreadsheet customer
    topic: communication_styles
    persona:
      style: analytical
      description: Keeps a spreadsheet of every bill; wants exact dates and amounts, not small talk.
    case:
      customer: Robin Ashdown
      email: robin.ashdown@example.invalid
      channel: chat
      subject: Two identical charges on 3 October
      opening: My statement shows two charges of 39.99 on 3 October. Please explain.
    lines:
      - id: valid
        say: Which of the two charges do you consider valid?
        branches:
          - when: response:hello
            label: trainee greeted by name
            say: Thank you for the reference. Which charge do you consider valid?
      - id: verify
        say: Account holder Robin Ashdown, card ending 0042.
      - id: close
        say: Five working days is fine. Send it in writing.
    hidden_facts:
      - fact: The same happened in March.
        ask: Has this happened before?
      - fact: Robin is on the annual plan.
        ask: Which plan are you on?
    expected:
      call_type: billing.dispute
      resolution: refund_issued
    rubric:
      - id: precision
        text: Exact amounts, dates and references
        weight: 60
      - id: pacing
        text: Matches the customer's pace
        weight: 40
    """

    static func scenario() throws -> Scenario {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-scenario-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try #require(try ScenarioLoader.load(path: file).first)
    }

    /// bea has set the call type and greeted; the trainer has sent bea the first line.
    static func store() throws -> (CaseStore, TrainingSession) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("training.sqlite").path
        let setup = try CaseStore(path: path, create: true, now: { DeskFixtures.now })
        try setup.install(DeskFixtures.pack)
        try setup.setSetting("kind", "training")
        let store = try CaseStore.openTraining(path: path, now: { DeskFixtures.now })
        let session = try store.createSession(module: "Styles 101", scenario: try scenario(), trainer: "tess",
                                              participants: [("bea", "Finance"), ("cal", "R&D")])
        let bea = session.participants[0].caseId
        try store.setCallType(bea, to: "billing.dispute", by: "bea")
        try store.completeStep(bea, stepId: "greet", by: "bea")
        try store.sendResponse(bea, text: "Hello Robin, this is bea. I'm looking at case \(bea) now.", responseId: "hello", by: "bea")
        try store.say(session: session.id, to: ["bea"], text: "Which of the two charges do you consider valid?", lineId: nil, by: "tess")
        return (store, session)
    }

    static func console(cols: Int = 120, rows: Int = 30) throws -> (TrainerConsole, VirtualScreen, CaseStore, TrainingSession) {
        let (store, session) = try store()
        let screen = VirtualScreen(cols: cols, rows: rows)
        let console = try TrainerConsole(store: store, session: session.id, login: "tess", screen: screen,
                                         now: DeskFixtures.now)
        console.start()
        return (console, screen, store, session)
    }
}

@Suite struct TrainerConsoleTests {
    @Test func consoleGolden() throws {
        let (console, screen, _, _) = try TrainingFixtures.console()
        #expect(console.state.rows.map(\.login) == ["bea", "cal"])
        #expect(console.state.rows[0].suggested?.label == "trainee greeted by name")
        try expectGolden(screen, "console-120x30")
    }

    @Test func traineeDeskShowsTheTrainingBannerAndTheLine() throws {
        let (store, _) = try TrainingFixtures.store()
        let screen = VirtualScreen(cols: 160, rows: 30)
        let desk = try Desk(store: store, login: "bea", screen: screen, clock: { DeskFixtures.now })
        desk.start()
        desk.send(.key(.enter))
        #expect(screen.row(0).hasPrefix(" TRAINING · CaseDesk"))
        #expect(screen.text().contains("Which of the two charges do you consider valid?"))
        try expectGolden(screen, "console-trainee-desk-160x30")
    }

    @Test func keysSendLinesToOneOrAllAndScore() throws {
        let (console, screen, store, session) = try TrainingFixtures.console()
        let bea = session.participants[0].caseId, cal = session.participants[1].caseId
        func lines(_ id: Int64) throws -> [String] { try store.detail(id).events.filter { $0.kind == .customerLine }.compactMap(\.body) }

        // n on bea sends the branch her greeting matched.
        console.send(.key(.char("n")))
        #expect(try lines(bea).last == "Thank you for the reference. Which charge do you consider valid?")
        #expect(try lines(cal).isEmpty)
        #expect(console.state.rows[0].linesSent == 1)

        // j picks cal; b opens the branch picker; Enter sends the main line to cal only.
        console.send(.key(.char("j")))
        console.send(.key(.char("b")))
        #expect(screen.text().contains("Send to cal: which line?"))
        console.send(.key(.enter))
        #expect(try lines(cal) == ["Which of the two charges do you consider valid?"])

        // a: to all; t types a line.
        console.send(.key(.char("a")))
        console.send(.key(.char("t")))
        for c in "Hello?" { console.send(.key(.char(c))) }
        console.send(.key(.enter))
        #expect(try lines(bea).last == "Hello?" && lines(cal).last == "Hello?")
        #expect(screen.text().contains("sent to bea, cal: Hello?"))

        // s: score the selected trainee on a criterion.
        console.send(.key(.char("a")))
        console.send(.key(.char("k")))
        console.send(.key(.char("s")))
        console.send(.key(.char("j")))
        console.send(.key(.enter))
        console.send(.key(.char("3")))
        console.send(.key(.enter))
        #expect(try store.scores(session: session.id).map { "\($0.trainee) \($0.scorer) \($0.criterion) \($0.score)" } == ["bea tess pacing 3"])
        #expect(console.state.rows[0].myScores == ["pacing": 3])

        // A commit from another process (a trainee's desk) shows on the next data change.
        try store.sendResponse(cal, text: "Which charge?", by: "cal")
        console.send(.dataChanged)
        #expect(console.state.rows[1].responses == 1)
        console.send(.key(.char("q")))
        #expect(console.state.quitting)
    }

    @Test func tooSmallConsoleSaysWhatItNeeds() throws {
        let (_, screen, _, _) = try TrainingFixtures.console(cols: 60, rows: 12)
        #expect(screen.row(0).contains("needs at least 80×20"))
    }
}
