import Foundation
import GRDB
import Testing
@testable import CaseCore

/// Scenarios, sessions, the customer's lines, scoring, calibration and the debrief.
@Suite struct TrainingSessionTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func scenarios() throws -> [Scenario] {
        let dir = try #require(ScenarioLoader.defaultDirectory(), "Resources/training was not found")
        return try ScenarioLoader.load(path: dir, pack: try DemoDataTests.pack())
    }

    static func trainingStore() throws -> (CaseStore, String) {
        let path = try TrainingGenericizeTests.temp("training.sqlite")
        try CaseStore.createTraining(path: path, pack: try DemoDataTests.pack())
        return (try CaseStore.openTraining(path: path, now: { now }), path)
    }

    static func scenario(_ id: String) throws -> Scenario { try #require(try scenarios().first { $0.id == id }) }

    @Test func shippedScenariosLintCleanAndCoverTheFourTopics() throws {
        let all = try Self.scenarios()
        #expect(all.count >= 6)
        #expect(Set(all.map(\.topic)) == Set(TrainingTopic.allCases))
        for s in all {
            #expect(!s.lines.isEmpty && !s.hiddenFacts.isEmpty && !s.rubric.isEmpty, "\(s.id)")
            #expect(s.rubric.reduce(0) { $0 + $1.weight } == 100)
            #expect(ScenarioLoader.styles.contains(s.persona.style))
        }
    }

    @Test func lintNamesFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-scn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let yaml = """
        id: broken
        title: Broken
        topic: small_talk
        persona:
          style: grumpy
          description: x
        case:
          customer: A B
          channel: pigeon
          subject: s
          opening: o
        lines:
          - id: one
            say: hi
            branches:
              - when: step:nowhere
                say: hmm
              - when: sometimes
                say: hmm
        expected:
          call_type: billing.nonsense
          resolution: refund_issued
        rubric:
          - id: a
            text: A
            weight: 60
        """
        try yaml.write(to: dir.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let (_, problems) = ScenarioLoader.analyse(path: dir, pack: try DemoDataTests.pack())
        let text = problems.map(\.description)
        func has(_ line: Int, _ fragment: String) -> Bool { text.contains { $0.contains("broken.yaml:\(line): ") && $0.contains(fragment) } }
        #expect(has(3, "unknown topic 'small_talk'"), "\(text)")
        #expect(has(5, "unknown communication style 'grumpy'"))
        #expect(has(9, "unknown channel 'pigeon'"))
        #expect(has(18, "bad branch condition 'sometimes'"))
        #expect(has(21, "unknown call type 'billing.nonsense'"))
        #expect(has(23, "rubric weights add up to 60"))
    }

    @Test func sessionGivesEachTraineeTheirOwnAssignedCopy() throws {
        let (store, _) = try Self.trainingStore()
        let s = try store.createSession(module: "Rapport 101", scenario: try Self.scenario("rapport-first-time-caller"), trainer: "tess",
                                        participants: [("bea", "Finance"), ("cal", "R&D"), ("dee", "Finance")])
        #expect(s.participants.map(\.login) == ["bea", "cal", "dee"])
        #expect(Set(s.participants.map(\.caseId)).count == 3)
        #expect(s.mixText == "3 participant(s) from 2 department(s): Finance 2, R&D 1")
        for p in s.participants {
            let r = try store.record(p.caseId)
            #expect(r.assignee == p.login && r.status == .open)
            #expect(try store.user(login: p.login).department == p.department)
            // It is in their "mine" queue, as the desk reads it.
            let mine = try store.queuePage(QueueFilter(scope: .assignee(try store.user(login: p.login).id)))
            #expect(mine.map(\.id) == [p.caseId])
        }
        #expect(try store.user(login: "tess").role == .trainer)
    }

    @Test func sixteenthParticipantIsRefusedAndNothingWritten() throws {
        let (store, _) = try Self.trainingStore()
        let sixteen = (1...16).map { ("p\($0)", "Dept \($0 % 3)") }
        #expect { try store.createSession(module: "M", scenario: try Self.scenario("rapport-first-time-caller"), trainer: "tess", participants: sixteen) }
            throws: { ($0 as? CaseError)?.description.contains("at most 15 participants") == true && "\($0)".contains("p16") }
        #expect(try store.users().isEmpty)
        #expect(try store.sessions().isEmpty)
        #expect(try store.listCases().isEmpty)
        let fifteen = try store.createSession(module: "M", scenario: try Self.scenario("rapport-first-time-caller"), trainer: "tess",
                                              participants: Array(sixteen.prefix(15)))
        #expect(fifteen.participants.count == 15)
    }

    @Test func aNonTrainingDatabaseIsRefusedAndLeftUntouched() throws {
        let (store, path) = try Fixtures.store()
        try store.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect { try CaseStore.openTraining(path: path) } throws: { "\($0)".contains("is not a training database") }
        // Even through a store that is already open, every training write checks.
        #expect(throws: CaseError.self) {
            try store.createSession(module: "M", scenario: try Self.scenario("rapport-first-time-caller"), trainer: "dana", participants: [("alice", "Care")])
        }
        #expect(throws: CaseError.self) { try store.say(session: 1, to: nil, text: "hi", by: "dana") }
        try store.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM training_sessions") } == 0)
    }

    @Test func customerLinesGoOnlyWhereSentAndScriptedLinesAdvance() throws {
        let (store, _) = try Self.trainingStore()
        let scenario = try Self.scenario("rapport-first-time-caller")
        let s = try store.createSession(module: "M", scenario: scenario, trainer: "tess", participants: [("bea", "Finance"), ("cal", "Care")])
        try store.say(session: s.id, to: ["bea"], text: "Is anyone there?", by: "tess")
        let bea = try store.detail(s.participants[0].caseId), cal = try store.detail(s.participants[1].caseId)
        #expect(bea.events.contains { $0.kind == .customerLine && $0.body == "Is anyone there?" })
        #expect(!cal.events.contains { $0.kind == .customerLine })

        // The next line follows the trainee's actions: greeting first picks the branch.
        try store.setCallType(s.participants[0].caseId, to: "device.connectivity", by: "bea")
        try store.sendResponse(s.participants[0].caseId, text: "Hello Morgan", responseId: "greet.standard", by: "bea")
        var progress = try store.progress(session: s)
        let next = try #require(progress[0].nextLine(in: scenario))
        #expect(next.line.id == "nervous" && next.branch?.when == "response:greet.standard")
        #expect(progress[1].nextLine(in: scenario)?.branch == nil)
        try store.say(session: s.id, to: ["bea"], text: next.branch!.say, lineId: next.line.id, branch: next.branch!.label, by: "tess")
        progress = try store.progress(session: s)
        #expect(progress[0].linesSent == ["nervous"])
        #expect(progress[0].nextLine(in: scenario)?.line.id == "lights")
        #expect(throws: CaseError.self) { try store.say(session: s.id, to: ["zed"], text: "x", by: "tess") }
    }

    @Test func autoScoresRubricScoresCalibrationAndDebrief() throws {
        let (store, _) = try Self.trainingStore()
        let scenario = try Self.scenario("rapport-first-time-caller")
        let s = try store.createSession(module: "M", scenario: scenario, trainer: "tess", participants: [("bea", "Finance"), ("cal", "Care")])
        try store.addUser(login: "lee", role: .lead)
        // bea follows the whole script and resolves as expected; cal does nothing.
        let id = s.participants[0].caseId
        try store.setCallType(id, to: "device.connectivity", by: "bea")
        let script = try #require(try store.script(for: "device.connectivity"))
        while let step = ScriptRunner.position(of: script, done: try store.detail(id).stepsDone).current {
            try store.completeStep(id, stepId: step.id, answer: step.choices.first?.answer, by: "bea")
        }
        try store.resolve(id, code: "fixed", by: "bea")
        try store.score(session: s.id, trainee: "bea", criterion: "warmth", score: 4, by: "tess")
        try store.score(session: s.id, trainee: "bea", criterion: "warmth", score: 1, by: "lee")
        try store.score(session: s.id, trainee: "bea", criterion: "plain_words", score: 3, by: "tess")
        try store.score(session: s.id, trainee: "bea", criterion: "plain_words", score: 3, by: "lee")
        try store.score(session: s.id, trainee: "bea", criterion: "warmth", score: 3, by: "tess")   // re-score replaces
        #expect(throws: CaseError.self) { try store.score(session: s.id, trainee: "bea", criterion: "warmth", score: 9, by: "tess") }
        #expect(throws: CaseError.self) { try store.score(session: s.id, trainee: "bea", criterion: "nope", score: 1, by: "tess") }

        let d = try store.debrief(session: s.id)
        let bea = try #require(d.trainees.first { $0.login == "bea" })
        #expect(bea.auto.scriptAdherence == 1 && bea.auto.callTypeCorrect && bea.auto.resolutionCorrect)
        #expect(bea.rubric.first { $0.id == "warmth" }?.scores == ["tess": 3, "lee": 1])
        #expect(bea.rubricPercent != nil && bea.strengths.contains { $0.contains("script step") })
        let cal = try #require(d.trainees.first { $0.login == "cal" })
        #expect(cal.auto.scriptAdherence == 0 && !cal.auto.callTypeCorrect && cal.gaps.contains { $0.contains("call type") })
        #expect(d.topics.map(\.topic) == ["building_rapport"] && d.topics[0].attempts == 2)

        let c = try store.calibrate(session: s.id)
        #expect(c.items.first { $0.criterion == "warmth" }?.differs == true)
        #expect(c.items.first { $0.criterion == "plain_words" }?.differs == false)
        #expect((c.scorers.first { $0.scorer == "tess" }?.bias ?? 0) > 0)
    }
}
