import Foundation
import Testing

/// Identity, refusals and file modes through the real binary, as the login running the tests.
@Suite struct IdentityCommandLineTests {
    static var me: String { String(cString: getpwuid(getuid())!.pointee.pw_name) }

    @Test func initMakesTheRunningLoginTheFirstAdminAndFilesAreClosedToOthers() throws {
        let db = try Casedesk.tempDir() + "/desk.sqlite"
        let made = try Casedesk.run(["init", "--db", db])
        #expect(made.status == 0 && made.stdout.contains("first admin: \(Self.me)"))
        var st = stat()
        #expect(stat(db, &st) == 0 && st.st_mode & 0o777 == 0o660, "umask 007: \(String(st.st_mode & 0o777, radix: 8))")
        let users = try Casedesk.run(["user", "list", "--db", db, "--format", "csv"])
        #expect(users.stdout.contains("\(Self.me),\(Self.me),admin,"))
        // The admin adds an agent, acts on their behalf, and the timeline names both.
        #expect(try Casedesk.run(["user", "add", "alice", "--role", "agent", "--db", db]).status == 0)
        let id = try Casedesk.run(["case", "new", "--customer", "Oda Ren", "--channel", "chat", "--subject", "Hi", "--db", db, "--as", "alice"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let json = try Casedesk.run(["case", "show", id, "--format", "json", "--db", db]).stdout
        let events = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["events"] as? [[String: Any]])
        #expect(events.first?["actor"] as? String == "alice" && events.first?["via"] as? String == Self.me)
        // Files opened to others are reported.
        chmod(db, 0o644)
        let doctor = try Casedesk.run(["doctor", "--db", db])
        #expect(doctor.status != 0 && doctor.stdout.contains("files: desk.sqlite is mode 0644: other users can read it"), "\(doctor.stdout)")
    }

    @Test func aLoginThatIsNotAUserIsToldWhatAnAdminRuns() throws {
        let db = try Casedesk.tempDir() + "/desk.sqlite"
        #expect(try Casedesk.run(["init", "--db", db, "--admin", "dana"]).status == 0)
        let refused = try Casedesk.run(["case", "list", "--db", db])
        #expect(refused.status != 0)
        #expect(refused.stderr == "casedesk: the login '\(Self.me)' is not a CaseDesk user of \(db); an admin adds it with: casedesk user add \(Self.me) --role agent --db \(db)\n")
        // Nor does --as help, nor $USER.
        #expect(try Casedesk.run(["case", "list", "--db", db, "--as", "dana"]).status != 0)
        #expect(try Casedesk.run(["case", "list", "--db", db], env: ["USER": "dana", "LOGNAME": "dana"]).status != 0)
    }

    @Test func theDemoStillTakesAnyoneWithAs() throws {
        let db = try DeskTerminalTests.demoDatabase()
        #expect(try Casedesk.run(["case", "list", "--limit", "1", "--db", db, "--as", "bob"]).status == 0)
        let expert = try Casedesk.run(["case", "list", "--limit", "1", "--db", db, "--as", "ed"])
        #expect(expert.stderr == "casedesk: ed may not list cases (ed is an expert): only an agent, a lead, a trainer or an admin may\n")
        let board = try Casedesk.run(["team", "board", "--db", db, "--as", "bob"])
        #expect(board.stderr == "casedesk: bob may not open the lead board (bob is an agent): only a lead or an admin may\n")
    }

    @Test func sharedInitRefusesWhatItShouldNotTouch() throws {
        let dir = try Casedesk.tempDir()
        try "keep me".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let nonEmpty = try Casedesk.run(["init", "--shared", "root", "--db", dir + "/desk.sqlite"])
        #expect(nonEmpty.status != 0 && nonEmpty.stderr.contains("already holds files (notes.txt)"), "\(nonEmpty.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/desk.sqlite"))
        let noGroup = try Casedesk.run(["init", "--shared", "no-such-group-\(getpid())", "--db", dir + "/sub/desk.sqlite"])
        #expect(noGroup.status != 0 && noGroup.stderr.contains("no group 'no-such-group-"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/sub"))
        let noDb = try Casedesk.run(["init", "--shared", "root"])
        #expect(noDb.status != 0 && noDb.stderr.contains("--shared needs --db PATH"))
    }
}
