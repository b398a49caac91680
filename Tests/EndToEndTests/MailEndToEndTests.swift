import CaseCore
import Foundation
import Testing

/// The mail gateway as a mail server uses it: the real binary fed on stdin, a Maildir
/// fetch killed half-way, and responses really handed to Debian's msmtp and received by
/// a local SMTP server (Python's aiosmtpd on 127.0.0.1), then parsed back.
@Suite(.serialized) struct MailEndToEndTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CaseCoreTests/mail-corpus")

    /// Runs the binary with `input` on stdin.
    static func run(_ args: [String], input: [UInt8] = [], env: [String: String] = [:]) throws -> Casedesk.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Casedesk.binary)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment["CASEDESK_DB"] = nil
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let stdin = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = stdin; p.standardOutput = out; p.standardError = err
        try p.run()
        let writer = Thread { try? stdin.fileHandleForWriting.write(contentsOf: Data(input)); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Casedesk.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func eml(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name))) }

    /// A database with the gateway account and an admin.
    static func gatewayDatabase() throws -> String {
        let db = try Casedesk.freshDatabase()
        #expect(try Casedesk.run(["user", "add", "mailgw", "--role", "gateway", "--db", db]).status == 0)
        #expect(try Casedesk.run(["user", "add", "admin", "--role", "admin", "--db", db]).status == 0)
        #expect(try Casedesk.run(["user", "add", "alice", "--role", "agent", "--db", db]).status == 0)
        return db
    }

    static func caseCount(_ db: String) throws -> Int {
        try Casedesk.run(["case", "list", "--limit", "100000", "--format", "csv", "--db", db, "--as", "admin"]).stdout
            .split(separator: "\n").count - 1
    }

    @Test func deliverFilesThreadsDropsAndQuarantinesWithSysexits() throws {
        let db = try Self.gatewayDatabase()
        let gw = ["--db", db, "--as", "mailgw"]
        let first = try Self.run(["mail", "deliver"] + gw, input: try Self.eml("plain-utf8.eml"))
        #expect(first.status == 0 && first.stdout == "1\n")
        let again = try Self.run(["mail", "deliver"] + gw, input: try Self.eml("plain-utf8.eml"))
        #expect(again.status == 0 && again.stdout == "1\n" && again.stderr.contains("filed once"))
        #expect(try Self.run(["mail", "deliver"] + gw, input: try Self.eml("reply-by-header.eml")).stdout == "1\n")
        let auto = try Self.run(["mail", "deliver"] + gw, input: try Self.eml("auto-reply.eml"))
        #expect(auto.status == 0 && auto.stdout.isEmpty && auto.stderr.contains("dropped"))
        let junk = try Self.run(["mail", "deliver"] + gw, input: try Self.eml("no-header.eml"))
        #expect(junk.status == 0 && junk.stderr.contains("quarantined as 1"))
        #expect(try Casedesk.run(["mail", "quarantine", "list", "--db", db, "--as", "admin"]).stdout.contains("no header fields"))
        let shown = try Casedesk.run(["mail", "quarantine", "show", "1", "--db", db, "--as", "admin"])
        #expect(shown.stdout.contains("without any header at all"))
        #expect(try Self.caseCount(db) == 1)

        // Hostile text is stored and shown as text, never as an escape sequence.
        let hostile = try Self.run(["mail", "deliver"] + gw, input: try Self.eml("hostile.eml"))
        let show = try Casedesk.run(["case", "show", hostile.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--db", db, "--as", "admin"])
        #expect(!show.stdout.contains("\u{1b}") && !show.stdout.contains("\u{0}") && show.stdout.contains("Evil [31mRed[0m"))

        // Not the message's fault: exit 75 so the mail server keeps it queued.
        let missing = try Self.run(["mail", "deliver", "--db", db + ".nope", "--as", "mailgw"], input: try Self.eml("plain-utf8.eml"))
        #expect(missing.status == 75 && missing.stderr.hasPrefix("casedesk: ") && missing.stderr.split(separator: "\n").count == 1)
        let notGateway = try Self.run(["mail", "deliver", "--db", db, "--as", "alice"], input: try Self.eml("bulk.eml"))
        #expect(notGateway.status == 75 && notGateway.stderr.contains("gateway"))
        // Parsed on its own (it starts once per message), `mail deliver` keeps its full name in
        // help and says a wrong option in one line.
        let help = try Self.run(["mail", "deliver", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: casedesk mail deliver"))
        let wrong = try Self.run(["mail", "deliver", "--bogus"] + gw)
        #expect(wrong.status == 64 && wrong.stderr == "casedesk: Unknown option '--bogus'\n")
        // The gateway account does nothing else.
        let refused = try Casedesk.run(["case", "list", "--db", db, "--as", "mailgw"])
        #expect(refused.status == 1 && refused.stderr.contains("gateway account"))
    }

    @Test func aBusyDatabaseIsATemporaryFailureAndWritesNothing() throws {
        let db = try Self.gatewayDatabase()
        // Another process holds the write lock longer than the 15 s busy timeout.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(40)
            """, db]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        _ = out.fileHandleForReading.availableData   // "locked"
        let busy = try Self.run(["mail", "deliver", "--db", db, "--as", "mailgw"], input: try Self.eml("plain-utf8.eml"))
        #expect(busy.status == 75)
        holder.terminate(); holder.waitUntilExit()
        #expect(try Self.caseCount(db) == 0)
        #expect(try Self.run(["mail", "deliver", "--db", db, "--as", "mailgw"], input: try Self.eml("plain-utf8.eml")).stdout == "1\n")
    }

    @Test func aMaildirFetchKilledHalfWayFilesEachMessageOnce() throws {
        let db = try Self.gatewayDatabase()
        let maildir = try Casedesk.tempDir() + "/Maildir"
        for sub in ["new", "cur", "tmp"] { try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true) }
        let count = 400
        for i in 0..<count {
            let body = "From: customer\(i)@example.com\r\nSubject: Question \(i)\r\nMessage-ID: <q\(i)@example.com>\r\n\r\nHello \(i)\r\n"
            try Data(body.utf8).write(to: URL(fileURLWithPath: String(format: "%@/new/%06d.mail.host", maildir, i)))
        }
        let fetch = try Casedesk.start(["mail", "fetch", "--maildir", maildir, "--quiet", "--db", db, "--as", "mailgw"])
        // Kill it once it is well under way.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (try FileManager.default.contentsOfDirectory(atPath: maildir + "/cur").count) < 40 { usleep(2_000) }
        kill(fetch.processIdentifier, SIGKILL)
        fetch.waitUntilExit()
        let moved = try FileManager.default.contentsOfDirectory(atPath: maildir + "/cur").count
        #expect(moved >= 40 && moved < count, "killed after \(moved) of \(count)")
        let rest = try Casedesk.run(["mail", "fetch", "--maildir", maildir, "--quiet", "--db", db, "--as", "mailgw"])
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: maildir + "/new").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: maildir + "/cur").count == count)
        #expect(try Self.caseCount(db) == count)
        let again = try Casedesk.run(["mail", "fetch", "--maildir", maildir, "--db", db, "--as", "mailgw"])
        #expect(again.stdout.contains("filed 0"))
    }

    @Test func ingestFilesGoodLinesAndNamesBadOnes() throws {
        let db = try Self.gatewayDatabase()
        let lines = """
            {"channel":"sms","customer":{"phone":"+15550100","name":"Ann Lee"},"text":"Where is my parcel?","external_id":"sms-1"}
            {"channel":"whatsapp","customer":{"handle":"@bob"},"external_id":"wa-1"}
            not json
            {"channel":"sms","customer":{"phone":"+15550100"},"text":"Any news?","external_id":"sms-2","case_id":1}
            {"channel":"sms","customer":{"phone":"+15550100","name":"Ann Lee"},"text":"Where is my parcel?","external_id":"sms-1"}
            """
        let r = try Self.run(["ingest", "--db", db, "--as", "mailgw"], input: Array(lines.utf8))
        #expect(r.status == 65)
        #expect(r.stdout == "stdin:1: case 1\nstdin:4: case 1\nstdin:5: already filed on case 1\n")
        #expect(r.stderr.contains("stdin:2: missing \"text\"") && r.stderr.contains("stdin:3: not a JSON object"))
        #expect(try Self.caseCount(db) == 1)
    }

    // MARK: out, through msmtp and a real SMTP server

    /// aiosmtpd on 127.0.0.1 writing what it receives into a Maildir.
    final class SMTPServer {
        let process = Process()
        let port: Int
        let maildir: String

        init() throws {
            maildir = try Casedesk.tempDir() + "/received"   // aiosmtpd creates it
            var chosen = 0
            for _ in 0..<20 {
                let candidate = Int.random(in: 20_000...60_000)
                if Self.connect(candidate) == false { chosen = candidate; break }
            }
            port = chosen
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while !Self.connect(port), Date() < deadline, process.isRunning { usleep(20_000) }
            guard Self.connect(port) else { throw POSIXError(.ECONNREFUSED) }
        }

        /// aiosmtpd does not stop on SIGTERM: SIGKILL.
        func stop() { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }

        var received: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: maildir + "/new")) ?? []).sorted().map { maildir + "/new/" + $0 }
        }

        static func connect(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
        }
    }

    @Test func aResponseIsReallySentThroughMsmtpAndTheCustomersAnswerThreadsBack() throws {
        let db = try Self.gatewayDatabase()
        let server = try SMTPServer()
        defer { server.stop() }
        let admin = ["--db", db, "--as", "admin"]
        let sendmail = "msmtp --host=127.0.0.1 --port=\(server.port) --auth=off --tls=off --from=help@acme.example -t"
        #expect(try Casedesk.run(["settings", "set", "mail.sendmail", sendmail] + admin).status == 0)
        #expect(try Casedesk.run(["settings", "set", "mail.from", "Acme Support <help@acme.example>"] + admin).status == 0)
        #expect(try Casedesk.run(["settings", "set", "mail.subject_tag", "Acme"] + admin).status == 0)
        let notAdmin = try Casedesk.run(["settings", "set", "mail.subject_tag", "Evil", "--db", db, "--as", "alice"])
        #expect(notAdmin.status == 1 && notAdmin.stderr.contains("only an admin"))
        #expect(try Casedesk.run(["settings", "list"] + admin).stdout.contains("msmtp --host=127.0.0.1"))

        #expect(try Self.run(["mail", "deliver", "--db", db, "--as", "mailgw"], input: try Self.eml("qp-latin1.eml")).stdout == "1\n")
        // `case respond` queues the mail in its transaction and starts a detached flush.
        let respond = try Casedesk.run(["case", "respond", "1", "Hallo André — 你好, der Techniker kommt morgen.", "--db", db, "--as", "alice"])
        #expect(respond.status == 0)
        let deadline = Date().addingTimeInterval(30)
        while server.received.isEmpty, Date() < deadline { usleep(50_000) }
        let file = try #require(server.received.first)
        let mail = try MailParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
        #expect(mail.from == MailAddress(name: "Acme Support", address: "help@acme.example"))
        #expect(mail.headers.first("To").map { TransferEncoding.decodeHeader($0) } == "André Müller <andre@example.com>")
        #expect(mail.subject == "[Acme #1] Re: Grüße aus Köln")
        #expect(mail.inReplyTo == ["latin1-1@example.com"] && mail.references == ["latin1-1@example.com"])
        #expect(mail.text == "Hallo André — 你好, der Techniker kommt morgen.")
        #expect(mail.headers.first("Content-Type") == "text/plain; charset=UTF-8")
        let messageId = try #require(mail.messageId)

        var outbox = ""
        while !outbox.contains("sent"), Date() < deadline { outbox = try Casedesk.run(["mail", "outbox"] + admin).stdout; usleep(50_000) }
        #expect(outbox.contains("sent") && outbox.contains("andre@example.com"))
        #expect(try Casedesk.run(["case", "show", "1"] + admin).stdout.contains("as alice) · mail sent"))   // "root as alice": an admin acting for her

        // The customer answers with only In-Reply-To: it lands on case 1.
        let answer = "From: andre@example.com\r\nSubject: Danke\r\nMessage-ID: <answer@example.com>\r\nIn-Reply-To: <\(messageId)>\r\n\r\nDanke!\r\n"
        #expect(try Self.run(["mail", "deliver", "--db", db, "--as", "mailgw"], input: Array(answer.utf8)).stdout == "1\n")

        // The server goes away: the next response fails with msmtp's words, and is retried later.
        server.stop()
        #expect(try Casedesk.run(["case", "respond", "1", "Second answer", "--db", db, "--as", "alice"],
                                 env: ["CASEDESK_NO_AUTOFLUSH": "1"]).status == 0)
        #expect(try Casedesk.run(["mail", "flush"] + admin).stdout == "sent 0, failed 1\n")
        let show = try Casedesk.run(["case", "show", "1"] + admin).stdout
        #expect(show.contains("as alice) · mail failed: msmtp exited with status"))
        #expect(try Casedesk.run(["mail", "outbox", "--pending"] + admin).stdout.contains("failed"))
    }
}
