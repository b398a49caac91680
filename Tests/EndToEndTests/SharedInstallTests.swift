import Foundation
import Testing

/// The shared install as an attacker meets it: a `casedesk` group owns the data, the binary
/// is setgid, and real OS accounts (made here, removed after) use it. Needs root to make
/// users and groups; skipped otherwise.
@Suite(.serialized) struct SharedInstallTests {
    static let isRoot = getuid() == 0
    static let tools = ["/usr/sbin/groupadd", "/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/sbin/groupdel", "/usr/sbin/runuser"]
    static var canRun: Bool { isRoot && tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } }
    static let skipReason: Comment = "needs root (and useradd, groupadd, runuser) to create OS users and a group"

    /// Unique names per run, so parallel test processes never collide; removed in `deinit`.
    final class Install {
        let tag = "t" + UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(8)
        var group: String { "cdg\(tag)" }
        var agent: String { "cda\(tag)" }
        var lead: String { "cdl\(tag)" }
        var admin: String { "cdm\(tag)" }
        let root: String
        var binary: String { root + "/bin/casedesk" }
        var db: String { root + "/data/desk.sqlite" }
        private var made: [String] = []
        private var madeGroup = false

        init() throws {
            root = Self.base() + "/casedesk-install-\(UUID().uuidString.prefix(8))"
            try sh(["/usr/sbin/groupadd", group]); madeGroup = true
            for user in [agent, lead, admin] { try sh(["/usr/sbin/useradd", "-M", "-s", "/bin/sh", user]); made.append(user) }
            // The built binary, installed as an admin would: group casedesk, setgid, on a path every user can reach.
            try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
            chmod(root, 0o755); chmod(root + "/bin", 0o755)
            try sh(["/usr/bin/install", "-g", group, "-m", "2755", Casedesk.binary, binary])
        }

        /// A place every test user can reach whose file system honours the setgid bit.
        static func base() -> String {
            let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build").path
            for dir in ["/tmp", "/var/tmp", package] {
                var fs = statvfs()
                if statvfs(dir, &fs) == 0, fs.f_flag & UInt(ST_NOSUID) == 0 { return dir }
            }
            return "/tmp"
        }

        deinit {
            for user in made { _ = try? sh(["/usr/sbin/userdel", user]) }
            if madeGroup { _ = try? sh(["/usr/sbin/groupdel", group]) }
            try? FileManager.default.removeItem(atPath: root)
        }

        var gid: gid_t { getgrnam(group)!.pointee.gr_gid }

        /// Runs casedesk as an OS user, with a clean environment.
        func casedesk(_ user: String, _ args: [String], env: [String: String] = [:]) throws -> Casedesk.Result {
            try run(["/usr/sbin/runuser", "-u", user, "--", "/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "TZ=UTC"]
                    + env.map { "\($0.key)=\($0.value)" } + [binary] + args + ["--db", db])
        }

        @discardableResult
        func sh(_ args: [String]) throws -> Casedesk.Result {
            let r = try run(args)
            guard r.status == 0 else { throw Failure(what: args.joined(separator: " "), result: r) }
            return r
        }

        func run(_ args: [String]) throws -> Casedesk.Result {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: args[0])
            p.arguments = Array(args.dropFirst())
            let out = Pipe(), err = Pipe()
            p.standardOutput = out; p.standardError = err
            try p.run()
            let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return Casedesk.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
        }

        struct Failure: Error, CustomStringConvertible {
            var what: String
            var result: Casedesk.Result
            var description: String { "\(what) failed (\(result.status)): \(result.stderr)" }
        }

        /// Mode and group of a file.
        func mode(_ path: String) -> (mode: mode_t, gid: gid_t)? {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            return (st.st_mode & 0o7777, st.st_gid)
        }
    }

    static let pack = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Resources/pack").path

    /// init --shared, then users added by the admin's own OS account.
    static func installed() throws -> Install {
        let i = try Install()
        let made = try i.run([i.binary, "init", "--shared", i.group, "--db", i.db, "--admin", i.admin, "--pack", pack])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(i.mode(i.root + "/data")! == (0o2770, i.gid))
        #expect(i.mode(i.db)! == (0o660, i.gid))
        try #require(i.casedesk(i.admin, ["user", "add", i.agent, "--role", "agent", "--team", "Tier 1"]).status == 0)
        try #require(i.casedesk(i.admin, ["user", "add", i.lead, "--role", "lead", "--team", "Tier 1"]).status == 0)
        return i
    }

    @Test(.enabled(if: canRun, skipReason)) func anAgentCannotEscalateButWorksItsCasesThroughCasedesk() throws {
        let i = try Self.installed()
        // Not a lead by saying so, not an admin by adding one.
        let asLead = try i.casedesk(i.agent, ["team", "board", "--as", i.lead])
        #expect(asLead.status != 0)
        #expect(asLead.stderr == "casedesk: \(i.agent) may not act as \(i.lead) (--as): only an admin may (\(i.agent) is an agent)\n")
        let addUser = try i.casedesk(i.agent, ["user", "add", "mallory", "--role", "admin"])
        #expect(addUser.status != 0)
        #expect(addUser.stderr == "casedesk: \(i.agent) may not manage users (\(i.agent) is an agent): only an admin may\n")
        // $USER and $LOGNAME do not change who you are.
        let spoofed = try i.casedesk(i.agent, ["team", "board"], env: ["USER": i.lead, "LOGNAME": i.lead])
        #expect(spoofed.status != 0 && spoofed.stderr.contains("\(i.agent) may not open the lead board"))
        // The data is out of reach except through casedesk.
        let direct = try i.run(["/usr/sbin/runuser", "-u", i.agent, "--", "/usr/bin/python3", "-c",
                                "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute(\"UPDATE cases SET subject='x'\")", i.db])
        #expect(direct.status != 0)
        #expect(direct.stderr.contains("unable to open database"), "\(direct.stderr)")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") {
            let cli = try i.run(["/usr/sbin/runuser", "-u", i.agent, "--", "/usr/bin/sqlite3", i.db, "UPDATE cases SET subject='x'"])
            #expect(cli.status != 0 && cli.stderr.contains("unable to open database"), "\(cli.stderr)")
        }
        // An unknown OS account is told what an admin runs.
        let nobody = try i.run(["/usr/sbin/runuser", "-u", "nobody", "--", i.binary, "case", "list", "--db", i.db])
        #expect(nobody.status != 0)
        #expect(nobody.stderr == "casedesk: the login 'nobody' is not a CaseDesk user of \(i.db); an admin adds it with: casedesk user add nobody --role agent --db \(i.db)\n")

        // Through casedesk, the agent works a case.
        let new = try i.casedesk(i.admin, ["case", "new", "--customer", "Maria Nunez", "--channel", "phone", "--subject", "Charged twice",
                                           "--call-type", "billing.dispute", "--team", "Tier 1"])
        let id = new.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try i.casedesk(i.agent, ["case", "take-next"]).stdout == "\(id)\n")
        #expect(try i.casedesk(i.agent, ["case", "respond", id, "We are looking into it"]).status == 0)
        #expect(try i.casedesk(i.agent, ["case", "note", id, "verified"]).status == 0)
        // Every file any command made: 0660 and the group (database, WAL, shm).
        for suffix in ["", "-wal", "-shm"] {
            guard let m = i.mode(i.db + suffix) else { continue }
            #expect(m.mode == 0o660 && m.gid == i.gid, "\(suffix): \(String(m.mode, radix: 8)) gid \(m.gid)")
        }
        let doctor = try i.casedesk(i.agent, ["doctor"])
        #expect(doctor.status == 0 && doctor.stdout.contains("files: ok (shared"), "\(doctor.stdout)\(doctor.stderr)")

        // An admin acting for the agent is recorded as both.
        #expect(try i.casedesk(i.admin, ["case", "note", id, "called back on their behalf", "--as", i.agent]).status == 0)
        let show = try i.casedesk(i.agent, ["case", "show", id])
        #expect(show.stdout.contains("note (\(i.admin) as \(i.agent)): called back on their behalf"), "\(show.stdout)")

        // A disabled user is refused.
        #expect(try i.casedesk(i.admin, ["user", "disable", i.agent]).status == 0)
        let disabled = try i.casedesk(i.agent, ["case", "list"])
        #expect(disabled.status != 0)
        #expect(disabled.stderr == "casedesk: \(i.agent) is disabled in \(i.db); an admin re-enables it with: casedesk user enable \(i.agent) --db \(i.db)\n")

        // A wrong mode is reported by doctor.
        chmod(i.db, 0o664)
        let bad = try i.casedesk(i.admin, ["doctor"])
        #expect(bad.status != 0 && bad.stdout.contains("files: desk.sqlite is mode 0664, want 0660"), "\(bad.stdout)")
    }

    @Test(.enabled(if: canRun, skipReason)) func aSetgidRunOpensOnlyFilesTheUserCouldOpenOrTheSharedOne() throws {
        let i = try Self.installed()
        // A file of root's, not the group's shared database: the setgid run will not lend its group to it.
        let other = i.root + "/other.sqlite"
        try i.sh([i.binary, "init", "--db", other, "--pack", Self.pack])
        try i.sh(["/usr/bin/chgrp", i.group, other]); chmod(other, 0o660)
        let refused = try i.run(["/usr/sbin/runuser", "-u", i.agent, "--", "/usr/bin/env", "CASEDESK_DB=\(other)", i.binary, "case", "list"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is neither yours nor a shared CaseDesk database"), "\(refused.stderr)")
    }

    /// A database too damaged to open has nobody in it to ask who is an admin: only root or
    /// the file's owner may restore over it, and a refusal is logged.
    @Test(.enabled(if: canRun, skipReason)) func aDamagedDatabaseIsRestoredOnlyByRootOrItsOwner() throws {
        let i = try Self.installed()
        let backup = i.root + "/data/nightly.sqlite"
        let made = try i.casedesk(i.admin, ["backup", "--to", backup])
        try #require(made.status == 0, "\(made.stderr)")
        // The header overwritten: no longer an SQLite file at all.
        let handle = try #require(FileHandle(forUpdatingAtPath: i.db))
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 100))
        try handle.close()
        let damaged = try Data(contentsOf: URL(fileURLWithPath: i.db))

        for user in [i.agent, i.admin] {   // neither owns the file (root made it)
            let r = try i.casedesk(user, ["restore", backup, "--as", i.admin])
            #expect(r.status != 0)
            #expect(r.stderr.contains("only root or the file's owner (root) may restore over it; nothing was changed"), "\(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: i.db)) == damaged)
        let log = try String(contentsOfFile: i.db + ".operations.log", encoding: .utf8)
        #expect(log.contains("notice refused: casedesk restore \(backup) by \(i.agent): "), "\(log)")

        // Its owner may: the file handed to the admin's OS account, as `mv` would let them anyway.
        try i.sh(["/usr/bin/chown", i.admin, i.db])
        let restored = try i.casedesk(i.admin, ["restore", backup])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try i.casedesk(i.agent, ["case", "list"]).status == 0)
    }

    @Test(.enabled(if: canRun && Tmux.available, skipReason)) func theEditorRunsWithoutTheGroup() throws {
        let i = try Self.installed()
        let new = try i.casedesk(i.admin, ["case", "new", "--customer", "Maria Nunez", "--channel", "phone", "--subject", "Charged twice",
                                           "--call-type", "billing.dispute", "--team", "Tier 1"])
        let id = new.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try i.casedesk(i.agent, ["case", "take-next"]).stdout == "\(id)\n")
        // The "editor" records its own ids, then edits the response.
        let out = i.root + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try i.sh(["/usr/bin/chown", i.agent, out])
        let editor = i.root + "/bin/editor.sh"
        try """
            #!/bin/sh
            grep -E '^(Uid|Gid|Groups):' /proc/self/status > \(out)/ids
            printf '\\nP.S. edited' >> "$1"
            """.write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)
        let tmux = try Tmux(width: 160, height: 45,
                            command: "/usr/sbin/runuser -u \(i.agent) -- /usr/bin/env EDITOR=\(editor) VISUAL=\(editor) \(i.binary) --db \(i.db)",
                            env: ["TERM": "xterm-256color", "LANG": "C.UTF-8", "TZ": "UTC"])
        try tmux.waitFor("Queue · mine (\(i.agent)")
        try tmux.send("Enter")
        try tmux.waitFor("Case #\(id)")
        try tmux.send("e")
        try tmux.waitFor("response sent")
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")

        let ids = try String(contentsOfFile: out + "/ids", encoding: .utf8)
        let gid = String(i.gid)
        let gidLine = ids.split(separator: "\n").first { $0.hasPrefix("Gid:") }.map(String.init) ?? ""
        let groupsLine = ids.split(separator: "\n").first { $0.hasPrefix("Groups:") }.map(String.init) ?? ""
        #expect(!gidLine.isEmpty && !gidLine.split(whereSeparator: \.isWhitespace).dropFirst().contains { $0 == gid },
                "the editor still has gid \(gid): \(gidLine)")
        #expect(!groupsLine.split(whereSeparator: \.isWhitespace).dropFirst().contains { $0 == gid }, "groups: \(groupsLine)")
        // ... while the desk itself could still write: the edited response is on the case.
        #expect(try i.casedesk(i.agent, ["case", "show", id]).stdout.contains("P.S. edited"))
    }
}
