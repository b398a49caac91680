import Foundation
import Testing

/// The real binary in a real terminal (tmux), on a demo database, driven by keys.
@Suite(.serialized) struct DeskTerminalTests {
    static let env = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "TZ": "UTC"]

    static func demoDatabase() throws -> String {
        let path = try Casedesk.tempDir() + "/demo.sqlite"
        let r = try Casedesk.run(["init", "--db", path, "--demo"])
        precondition(r.status == 0, "init --demo failed: \(r.stderr)")
        return path
    }

    @Test func agentWorksACaseEndToEnd() throws {
        let db = try Self.demoDatabase()
        let tmux = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as alice", env: Self.env)
        try tmux.waitFor("Queue · mine (alice")

        try tmux.send("n")
        let screen = try tmux.waitFor("took case #")
        let idText = try #require(screen.components(separatedBy: "took case #").last?.prefix { $0.isNumber })
        let id = String(idText)

        try tmux.send("c")
        try tmux.waitFor("Call type for case #\(id)")
        try tmux.type("billing.dispute")
        try tmux.send("Enter")
        try tmux.waitFor("call type set to billing.dispute")
        try tmux.waitFor("Script · ")

        try tmux.send("s")
        try tmux.waitFor("step greet done")
        try tmux.send("r")
        try tmux.waitFor("response sent")

        try tmux.send("x")
        try tmux.waitFor("Resolve case #\(id)")
        try tmux.type("fixed")
        try tmux.send("Enter")
        try tmux.waitFor("Customer satisfaction")
        try tmux.type("4")
        try tmux.send("Enter")
        try tmux.waitFor("case #\(id) resolved: fixed · CSAT 4")

        // Resize while working: the desk redraws for the new size.
        try tmux.resize(width: 90, height: 30)
        try tmux.waitFor("stacked layout") { $0.contains("[Queue]") || $0.contains("[Case]") }
        try tmux.resize(width: 30, height: 8)
        try tmux.waitFor("casedesk needs at least")
        try tmux.resize(width: 160, height: 45)
        try tmux.waitFor("Queue · mine (alice")

        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
        // The terminal was restored: tmux is back on the normal screen.
        #expect(try tmux.run(["display-message", "-p", "-t", tmux.session, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0")

        let show = try Casedesk.run(["case", "show", id, "--format", "json", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "resolved")
        #expect(json["call_type"] as? String == "billing.dispute")
        #expect(json["assignee"] as? String == "alice")
        #expect(json["resolution_code"] as? String == "fixed")
        let kinds = (json["events"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds.contains("step") && kinds.contains("response") && kinds.contains("resolve"))
    }

    @Test func editorResponseUsesTheRealEditor() throws {
        let db = try Self.demoDatabase()
        // A non-interactive "editor" that appends a line, run through $EDITOR as a user's would be.
        let editor = try Casedesk.tempDir() + "/editor.sh"
        try "#!/bin/sh\nprintf '\\nP.S. edited in the editor' >> \"$1\"\n".write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)
        var env = Self.env
        env["EDITOR"] = editor
        env["VISUAL"] = editor
        let tmux = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as alice", env: env)
        try tmux.waitFor("Queue · mine (alice")
        try tmux.send("Enter")
        let screen = try tmux.waitFor("Case #")
        let id = String(try #require(screen.components(separatedBy: "Case #").last?.prefix { $0.isNumber }))
        try tmux.send("e")
        try tmux.waitFor("response sent")
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
        let show = try Casedesk.run(["case", "show", id, "--format", "json", "--db", db])
        #expect(show.stdout.contains("P.S. edited in the editor"))
    }

    /// SIGTERM (a shutdown) and SIGHUP (a dropped ssh session) restore the terminal
    /// and exit 128+signo (what else they finish: HardeningTerminalTests).
    @Test(arguments: [(SIGTERM, "143"), (SIGHUP, "129")])
    func terminationSignalsRestoreTheTerminal(signal: Int32, status: String) throws {
        let db = try Self.demoDatabase()
        let tmux = try Tmux(width: 160, height: 45, command: "\(Casedesk.binary) --db \(db) --as alice", env: Self.env)
        try tmux.waitFor("Queue · mine (alice")
        try tmux.send("Enter")
        try tmux.waitFor("Case #")
        let shell = try #require(Int32(tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)))
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let deskPid = try #require(children.split(separator: " ").compactMap { Int32($0) }.first)
        kill(deskPid, signal)
        try tmux.waitFor("EXITED \(status)")
        #expect(try tmux.run(["display-message", "-p", "-t", tmux.session, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let doctor = try Casedesk.run(["doctor", "--db", db])
        #expect(doctor.status == 0 && doctor.stdout.contains("integrity: ok"))
    }

    @Test func noTerminalOrDumbTerminalGetsOneClearLine() throws {
        let db = try Self.demoDatabase()
        let piped = try Casedesk.run(["--db", db, "--as", "alice"])
        #expect(piped.status == 1)
        #expect(piped.stderr.contains("the desk needs a terminal"))
        let tmux = try Tmux(width: 100, height: 30, command: "\(Casedesk.binary) --db \(db) --as alice",
                            env: ["TERM": "dumb", "LANG": "C.UTF-8"])
        let screen = try tmux.waitFor("EXITED 1")
        #expect(screen.contains("the desk needs a terminal (TERM=dumb)"))
        // With no database yet: the same line, and no demo database left behind.
        let fresh = (NSTemporaryDirectory() as NSString).appendingPathComponent("casedesk-noterm-\(UUID().uuidString).sqlite")
        let none = try Casedesk.run(["--db", fresh])
        #expect(none.status == 1 && none.stderr.contains("the desk needs a terminal"))
        #expect(!none.stderr.contains("creating a demo"))
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    @Test func cLocaleDegradesToASCII() throws {
        let db = try Self.demoDatabase()
        let tmux = try Tmux(width: 120, height: 30, command: "\(Casedesk.binary) --db \(db) --as alice",
                            env: ["TERM": "xterm-256color", "LANG": "C", "LC_ALL": "C", "NO_COLOR": "1"])
        let screen = try tmux.waitFor("Queue - mine") { $0.contains("Queue") && $0.contains("+-") }
        #expect(!screen.contains("┌"))
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }
}
