import Foundation
import Testing

/// A role-play end to end in real terminals: a trainer console and two trainee desks on one
/// training database, the trainer playing the customer for trainee 1 only.
@Suite(.serialized) struct TrainingTerminalTests {
    static let env = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "TZ": "UTC"]

    static func run(_ args: [String]) throws -> Casedesk.Result {
        let r = try Casedesk.run(args)
        #expect(r.status == 0, "casedesk \(args.joined(separator: " ")) failed: \(r.stderr)")
        return r
    }

    @Test func trainerSendsALineToOneTraineeAndTheDebriefScoresBoth() throws {
        let db = try Casedesk.tempDir() + "/training.sqlite"
        try Self.run(["train", "init", "--db", db])
        let created = try Self.run(["train", "session", "new", "--db", db, "--module", "Rapport 101", "--scenario", "rapport-first-time-caller",
                                    "--trainer", "tess", "--participants", "bea:Finance,cal:R&D"])
        #expect(created.stdout.contains("session 1:") && created.stdout.contains("Finance 1, R&D 1"))

        let bea = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as bea", env: Self.env)
        let cal = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as cal", env: Self.env)
        let console = try Tmux(width: 120, height: 30, command: "\(Casedesk.binary) train console 1 --db \(db) --as tess", env: Self.env)
        for (desk, login, id) in [(bea, "bea", 1), (cal, "cal", 2)] {
            try desk.waitFor("Queue · mine (\(login)")
            #expect(try desk.screen().contains("TRAINING · CaseDesk"))
            try desk.send("Enter")
            try desk.waitFor("Case #\(id)")
        }
        try console.waitFor("Trainer console")
        try console.waitFor("lines go to: bea")

        // The trainer types a line for bea only.
        try console.send("t")
        try console.waitFor("Customer says (to bea)")
        try console.type("Is the orange light bad?")
        try console.send("Enter")
        try console.waitFor("sent to bea: Is the orange light bad?")
        try bea.waitFor("Is the orange light bad?", timeout: 2)
        usleep(300_000)   // a few of cal's 250 ms polls: the line must not arrive there
        #expect(!(try cal.screen().contains("Is the orange light bad?")))

        // bea works the scenario on the desk: call type, every script step, resolve.
        try bea.send("c")
        try bea.waitFor("Call type for case #1")
        try bea.type("device.connectivity")
        try bea.send("Enter")
        try bea.waitFor("call type set to device.connectivity")
        for step in ["greet", "verify", "diagnose", "resolve", "close"] {
            try bea.send("s")
            try bea.waitFor("step \(step) done")
        }
        try bea.send("x")
        try bea.waitFor("Resolve case #1")
        try bea.type("fixed")
        try bea.send("Enter")
        try bea.waitFor("Customer satisfaction")
        try bea.type("5")
        try bea.send("Enter")
        try bea.waitFor("case #1 resolved: fixed")

        // cal is driven from the command line: a wrong call type, a response, resolved.
        try Self.run(["case", "call-type", "2", "device.setup", "--db", db, "--as", "cal"])
        try Self.run(["case", "respond", "2", "Have you tried turning it off and on?", "--db", db, "--as", "cal"])
        try Self.run(["case", "resolve", "2", "--code", "explained", "--db", db, "--as", "cal"])

        // The console follows both live, and the trainer scores bea from it.
        try console.waitFor("both resolved") { $0.components(separatedBy: "resolved").count >= 3 }
        try console.send("s")
        try console.waitFor("Score bea · criterion")
        try console.send("Enter")
        try console.type("4")
        try console.send("Enter")
        try console.waitFor("scored bea 4 on warmth")
        try Self.run(["train", "score", "1", "cal", "--criterion", "warmth", "--score", "1", "--db", db, "--as", "tess"])

        try console.send("q")
        try console.waitFor("EXITED 0")
        for desk in [bea, cal] { try desk.send("q"); try desk.waitFor("EXITED 0") }

        let debrief = try Self.run(["train", "debrief", "1", "--format", "json", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(debrief.stdout.utf8)) as? [String: Any])
        let trainees = try #require(json["trainees"] as? [[String: Any]])
        #expect(trainees.compactMap { $0["login"] as? String } == ["bea", "cal"])
        let b = trainees[0], c = trainees[1]
        let bAuto = try #require(b["auto"] as? [String: Any]), cAuto = try #require(c["auto"] as? [String: Any])
        #expect(bAuto["script_adherence"] as? Double == 1 && bAuto["call_type_correct"] as? Bool == true && bAuto["resolution_correct"] as? Bool == true)
        #expect(cAuto["call_type_correct"] as? Bool == false)
        #expect((b["overall_percent"] as? Double ?? 0) > (c["overall_percent"] as? Double ?? 100))
        let bWarmth = (b["rubric"] as? [[String: Any]])?.first { $0["id"] as? String == "warmth" }
        #expect((bWarmth?["scores"] as? [String: Int])?["tess"] == 4)
        let text = try Self.run(["train", "debrief", "1", "--db", db]).stdout
        #expect(text.contains("bea (Finance)") && text.contains("cal (R&D)") && text.contains("Building rapport"))
        #expect(text.contains("customer · phone: Is the orange light bad?"))
    }

    @Test func trainingCommandsRefuseAProductionDatabase() throws {
        let db = try Casedesk.freshDatabase()
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        for args in [["train", "session", "new", "--db", db, "--module", "M", "--scenario", "rapport-first-time-caller", "--trainer", "t", "--participants", "a:X"],
                     ["train", "say", "1", "hello", "--db", db, "--as", "t"],
                     ["train", "score", "1", "a", "--criterion", "warmth", "--score", "1", "--db", db, "--as", "t"]] {
            let r = try Casedesk.run(args)
            #expect(r.status == 1)
            #expect(r.stderr.contains("is not a training database"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    @Test func sixteenthParticipantIsRefusedFromTheCommandLine() throws {
        let db = try Casedesk.tempDir() + "/training.sqlite"
        try Self.run(["train", "init", "--db", db])
        let names = (1...16).map { "p\($0):Dept\($0 % 4)" }.joined(separator: ",")
        let r = try Casedesk.run(["train", "session", "new", "--db", db, "--module", "M", "--scenario", "rapport-first-time-caller",
                                  "--trainer", "tess", "--participants", names])
        #expect(r.status == 1)
        #expect(r.stderr.contains("at most 15 participants") && r.stderr.contains("p16"))
        #expect(try Casedesk.run(["train", "session", "list", "--db", db]).stdout.split(separator: "\n").count == 1)
    }
}
