import Foundation
import CaseCore
import Testing

/// The command line as a script or an integration uses it: output, exit status, stderr.
@Suite struct CommandLineTests {
    @Test func caseLifecycleThroughTheCommandLine() throws {
        let db = try Casedesk.freshDatabase()
        #expect(try Casedesk.run(["user", "add", "alice", "--role", "agent", "--name", "Alice Martin", "--db", db]).status == 0)
        let new = try Casedesk.run(["case", "new", "--db", db, "--as", "alice", "--customer", "李娜", "--channel", "chat",
                                    "--call-type", "billing.dispute", "--subject", "Charged twice", "--priority", "P1"])
        #expect(new.status == 0)
        let id = new.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(id) != nil)
        #expect(try Casedesk.run(["case", "take-next", "--db", db, "--as", "alice"]).stdout == "\(id)\n")
        let empty = try Casedesk.run(["case", "take-next", "--db", db, "--as", "alice"])
        #expect(empty.status == 1 && empty.stdout.isEmpty && empty.stderr.contains("no case is waiting"))
        #expect(try Casedesk.run(["case", "note", id, "verified identity", "--db", db, "--as", "alice"]).status == 0)
        let badCode = try Casedesk.run(["case", "resolve", id, "--code", "nonsense", "--db", db, "--as", "alice"])
        #expect(badCode.status != 0 && badCode.stderr.contains("unknown resolution code"))
        let codes = try Casedesk.run(["scripts", "list", "--db", db]).stdout
        let code = try #require(codes.split(separator: "\n").last?.split(separator: ":").last?.split(separator: ",").first)
            .trimmingCharacters(in: .whitespaces)
        #expect(try Casedesk.run(["case", "resolve", id, "--code", code, "--csat", "5", "--db", db, "--as", "alice"]).status == 0)
        let show = try Casedesk.run(["case", "show", id, "--format", "json", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "resolved")
        #expect(json["priority"] as? String == "P1")
        #expect(json["call_type"] as? String == "billing.dispute")
        #expect(json["assignee"] as? String == "alice")
        #expect(json["channel"] as? String == "chat")
        #expect((json["customer"] as? [String: Any])?["name"] as? String == "李娜")
        let kinds = (json["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
        #expect(kinds == ["created", "assign", "note", "resolve", "csat"])
        #expect(json["version"] as? Int == 4)
    }

    @Test func databaseIsFoundFromFlagThenEnvironmentThenXDG() throws {
        let home = try Casedesk.tempDir()
        let xdg = try Casedesk.tempDir()
        let explicit = try Casedesk.tempDir() + "/explicit.sqlite"
        let fromEnv = try Casedesk.tempDir() + "/env.sqlite"
        #expect(try Casedesk.run(["init"], env: ["HOME": home, "XDG_DATA_HOME": ""]).status == 0)
        #expect(FileManager.default.fileExists(atPath: home + "/.local/share/casedesk/casedesk.sqlite"))
        #expect(try Casedesk.run(["init"], env: ["HOME": home, "XDG_DATA_HOME": xdg]).status == 0)
        #expect(FileManager.default.fileExists(atPath: xdg + "/casedesk/casedesk.sqlite"))
        #expect(try Casedesk.run(["init"], env: ["HOME": home, "CASEDESK_DB": fromEnv]).status == 0)
        #expect(FileManager.default.fileExists(atPath: fromEnv))
        #expect(try Casedesk.run(["init", "--db", explicit], env: ["HOME": home, "CASEDESK_DB": fromEnv]).status == 0)
        #expect(FileManager.default.fileExists(atPath: explicit))
    }

    @Test func wrongInputGetsOneClearLineAndNonZeroExit() throws {
        let db = try Casedesk.freshDatabase()
        let badFlag = try Casedesk.run(["case", "list", "--colour", "red", "--db", db])
        #expect(badFlag.status != 0 && badFlag.stderr.contains("--colour"))
        let badChannel = try Casedesk.run(["case", "new", "--db", db, "--customer", "A", "--channel", "fax", "--subject", "x"])
        #expect(badChannel.status != 0 && badChannel.stderr.contains("fax"))
        // One line that names every accepted value, however many there are.
        #expect(badChannel.status == 64 && badChannel.stderr.split(separator: "\n").count == 1)
        #expect(Channel.allCases.allSatisfy { badChannel.stderr.contains("'\($0.rawValue)'") })
        let resolvedByStatus = try Casedesk.run(["case", "status", "1", "resolved", "--db", db])
        #expect(resolvedByStatus.status == 64 && resolvedByStatus.stderr.contains("'new', 'open', 'pending' or 'closed'"))
        let badFormat = try Casedesk.run(["export", "--format", "xml", "--db", db])
        #expect(badFormat.status == 64 && badFormat.stderr.contains("'csv' and 'jsonl'"))
        let noCase = try Casedesk.run(["case", "show", "999", "--db", db])
        #expect(noCase.status == 1 && noCase.stderr == "casedesk: no case #999\n")
        let again = try Casedesk.run(["init", "--db", db])
        #expect(again.status == 1 && again.stderr.contains("already exists"))
    }

    @Test func badImportRowNamesFileAndLineAndWritesNothing() throws {
        let db = try Casedesk.freshDatabase()
        let file = (db as NSString).deletingLastPathComponent + "/cases.csv"
        try "customer,channel,call_type,subject\nAnn,phone,billing.dispute,ok\nBen,phone,billing.dispute,\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let dry = try Casedesk.run(["import", file, "--dry-run", "--db", db])
        // A dry run lists every bad line, then one summary line.
        #expect(dry.status == 1 && dry.stderr == "cases.csv:3: 'subject' is empty (column 'subject')\n"
                + "casedesk: \(file): 1 bad line(s); nothing would be imported\n")
        let r = try Casedesk.run(["import", file, "--db", db])
        #expect(r.status == 1 && r.stderr == "cases.csv:3: 'subject' is empty (column 'subject')\n")
        #expect(try Casedesk.run(["case", "list", "--db", db, "--format", "csv"]).stdout.split(separator: "\n").count == 1)
    }

    @Test func corruptAndNewerDatabasesAreRefusedByEveryCommand() throws {
        let dir = try Casedesk.tempDir()
        let corrupt = dir + "/corrupt.sqlite"
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: corrupt))
        for args in [["doctor"], ["case", "list"]] {
            let r = try Casedesk.run(args + ["--db", corrupt])
            #expect(r.status == 1 && r.stderr.contains("is not a CaseDesk database"))
        }
        let db = try Casedesk.freshDatabase()
        #expect(try Casedesk.run(["doctor", "--db", db]).stdout.contains("integrity: ok"))
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=99'); c.commit()", db]
        try sqlite.run(); sqlite.waitUntilExit()
        let newer = try Casedesk.run(["case", "list", "--db", db])
        #expect(newer.status == 1 && newer.stderr.contains("newer than this casedesk understands"))
    }

    @Test func lintCatchesAnUnknownPlaceholderWithFileAndLine() throws {
        let dir = try Casedesk.tempDir() + "/pack"
        let db = try Casedesk.freshDatabase()
        #expect(try Casedesk.run(["scripts", "export", dir, "--db", db]).status == 0)
        #expect(try Casedesk.run(["scripts", "lint", dir]).status == 0)
        let scripts = try FileManager.default.contentsOfDirectory(atPath: dir + "/scripts").sorted()
        let file = dir + "/scripts/" + scripts[0]
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let placeholder = try #require(text.range(of: "{{customer.first_name}}") ?? text.range(of: "{{agent.name}}"))
        try text.replacingCharacters(in: placeholder, with: "{{customer.nickname}}").write(toFile: file, atomically: true, encoding: .utf8)
        let line = text[..<placeholder.lowerBound].filter { $0 == "\n" }.count + 1
        let lint = try Casedesk.run(["scripts", "lint", dir])
        #expect(lint.status != 0)
        #expect(lint.stdout.contains("scripts/\(scripts[0]):\(line):"))
        #expect(lint.stdout.contains("customer.nickname"))
        let refused = try Casedesk.run(["scripts", "import", dir, "--db", db])
        #expect(refused.status != 0)
    }
}
