import CaseCore
import Foundation
import Testing

/// The mail and ingest commands through the real binary, as the gateway account and as
/// people: flushing from cron, a relay's bad lines, what an agent may read of a message.
@Suite(.serialized) struct MailCommandLineTests {
    typealias E2E = MailEndToEndTests

    /// The documented cron line and systemd unit run `mail flush` as the gateway account.
    @Test func theGatewayAccountRunsFlushAndOutbox() throws {
        let db = try E2E.gatewayDatabase()
        let server = try E2E.SMTPServer()
        defer { server.stop() }
        let admin = ["--db", db, "--as", "admin"], gw = ["--db", db, "--as", "mailgw"]
        let sendmail = "msmtp --host=127.0.0.1 --port=\(server.port) --auth=off --tls=off --from=help@acme.example -t"
        #expect(try Casedesk.run(["settings", "set", "mail.sendmail", sendmail] + admin).status == 0)
        #expect(try Casedesk.run(["settings", "set", "mail.from", "Acme Support <help@acme.example>"] + admin).status == 0)
        #expect(try E2E.run(["mail", "deliver"] + gw, input: try E2E.eml("plain-utf8.eml")).stdout == "1\n")
        #expect(try Casedesk.run(["case", "respond", "1", "We have reset your card.", "--db", db, "--as", "alice"],
                                 env: ["CASEDESK_NO_AUTOFLUSH": "1"]).status == 0)
        let queued = try Casedesk.run(["mail", "outbox", "--pending"] + gw)
        #expect(queued.status == 0 && queued.stdout.contains("queued") && queued.stdout.contains("dana@example.com"), "\(queued.stderr)")
        let flush = try Casedesk.run(["mail", "flush"] + gw)
        #expect(flush.status == 0 && flush.stdout == "sent 1, failed 0\n", "\(flush.stderr)")
        #expect(server.received.count == 1)
        let mail = try MailParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: try #require(server.received.first)))))
        #expect(mail.text == "We have reset your card." && mail.headers.first("To")?.contains("dana@example.com") == true)
        #expect(try Casedesk.run(["mail", "outbox"] + gw).stdout.contains("sent"))
        // The timeline names the gateway as the one who sent it.
        #expect(try Casedesk.run(["case", "show", "1"] + admin).stdout.contains("mail to dana@example.com: sent"))
    }

    @Test func aMessageOverTheSizeLimitIsRefusedWithExit65() throws {
        let db = try E2E.gatewayDatabase()
        let head = Array("From: ann@example.com\r\nSubject: Huge\r\nMessage-ID: <huge@example.com>\r\n\r\n".utf8)
        let limit = 64 * 1_048_576   // one byte more is refused
        let big = head + [UInt8](repeating: 0x41, count: limit + 1 - head.count)
        let r = try E2E.run(["mail", "deliver", "--db", db, "--as", "mailgw"], input: big)
        #expect(r.status == 65 && r.stdout.isEmpty)
        #expect(r.stderr == "casedesk: the message is larger than 64 MB; not filed\n")
        #expect(try E2E.caseCount(db) == 0)
    }

    @Test func ingestNamesABadLineAndFilesTheOthers() throws {
        let db = try E2E.gatewayDatabase()
        let lines = """
            {"channel":"sms","customer":{"phone":"+15550100","name":"Ann Lee"},"text":"Where is my parcel?","external_id":"sms-1"}
            {"channel":"sms","customer":{"phone":"+15550100"},"text":"Still waiting","external_id":"sms-2","case_id":99}
            {"channel":"sms","customer":{"phone":"+15550100"},"text":"Hello?","external_id":"sms-3","reply_to":["sms-1"]}
            {"channel":"sms","customer":{"phone":"+15550100"},"text":"Hi","external_id":42}
            {"channel":"sms","customer":{"phone":"+15550100"},"text":"Hi","external_id":"sms-4","reply_to":"sms-1"}
            [1, 2]
            {"channel":"chat","customer":{"handle":"@bo"},"text":"New question","external_id":"c-1"}
            """
        let r = try E2E.run(["ingest", "--db", db, "--as", "mailgw"], input: Array(lines.utf8))
        #expect(r.status == 65)
        // The line naming no case is refused alone; the reply threads by reply_to; the rest go on.
        #expect(r.stdout == "stdin:1: case 1\nstdin:3: case 1\nstdin:7: case 2\n")
        #expect(r.stderr == """
            stdin:2: "case_id" 99 names no case
            stdin:4: "external_id" has the wrong type
            stdin:5: "reply_to" has the wrong type
            stdin:6: not a JSON object
            casedesk: filed 3, 0 already filed, 4 refused

            """)
        #expect(try E2E.caseCount(db) == 2)
        // Only the gateway (or an admin) files: anyone else is a setup mistake, 75, nothing read.
        let agent = try E2E.run(["ingest", "--db", db, "--as", "alice"], input: Array(lines.utf8))
        #expect(agent.status == 75 && agent.stdout.isEmpty && agent.stderr.split(separator: "\n").count == 1)
    }

    @Test func agentsReadTheWholeMessageAndSaveAttachmentsToAFileTheyName() throws {
        let db = try E2E.gatewayDatabase()
        let gw = ["--db", db, "--as", "mailgw"], alice = ["--db", db, "--as", "alice"]
        #expect(try E2E.run(["mail", "deliver"] + gw, input: try E2E.eml("plain-utf8.eml")).stdout == "1\n")
        #expect(try E2E.run(["mail", "deliver"] + gw, input: try E2E.eml("reply-by-tag.eml")).stdout == "1\n")
        let messages = try Casedesk.run(["case", "messages", "1"] + alice)
        #expect(messages.status == 0, "\(messages.stderr)")
        #expect(messages.stdout.contains("from Dana Reyes <dana@example.com> · Re: [CaseDesk #1] Card declined at checkout"))
        #expect(messages.stdout.contains("Thanks, it works now.\n\nOn Sun, 29 Nov 2026, Acme Support wrote:\n> We have reset your card."))

        let hostile = Array("""
            From: ed@example.com\r\nSubject: Files\r\nMessage-ID: <files@example.com>\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nTwo files.\r\n--B\r\n\
            Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="../../evil\u{1b}]0;x\u{7}.sh"\r\n\
            Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--B--\r\n
            """.utf8)
        let filed = try E2E.run(["mail", "deliver"] + gw, input: hostile)
        let caseId = filed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let list = try Casedesk.run(["case", "attachments", caseId] + alice)
        #expect(list.status == 0 && list.stdout.contains("1  ../../evil") && list.stdout.contains("application/pdf") && list.stdout.contains("kept"))
        #expect(!list.stdout.contains("\u{1b}") && !list.stdout.contains("\u{7}"))

        let dir = try Casedesk.tempDir()
        let out = dir + "/saved.pdf"
        let save = try Casedesk.run(["case", "attachment", caseId, "1", "--out", out] + alice)
        #expect(save.status == 0, "\(save.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data("%PDF-1.4\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["saved.pdf"])
        // An existing file is not replaced without --force; `-` writes the bytes to stdout.
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out))
        let again = try Casedesk.run(["case", "attachment", caseId, "1", "--out", out] + alice)
        #expect(again.status == 1 && again.stderr == "casedesk: \(out) exists; add --force to replace it\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data("mine".utf8))
        #expect(try Casedesk.run(["case", "attachment", caseId, "1", "--out", out, "--force"] + alice).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data("%PDF-1.4\n".utf8))
        #expect(try Casedesk.run(["case", "attachment", caseId, "1", "--out", "-"] + alice).stdout == "%PDF-1.4\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["saved.pdf"])
        let wrong = try Casedesk.run(["case", "attachment", caseId, "3", "--out", "-"] + alice)
        #expect(wrong.status == 1 && wrong.stderr == "casedesk: case #\(caseId) has attachments 1 to 1, not 3\n")

        // Who may see the case may read them: not an expert who was not consulted, not the gateway.
        #expect(try Casedesk.run(["user", "add", "ed", "--role", "expert", "--db", db, "--as", "admin"]).status == 0)
        for args in [["case", "messages", "1"], ["case", "attachments", caseId], ["case", "attachment", caseId, "1", "--out", "-"]] {
            let expert = try Casedesk.run(args + ["--db", db, "--as", "ed"])
            #expect(expert.status == 1 && expert.stdout.isEmpty && expert.stderr.contains("ed may not see case #"), "\(expert.stderr)")
            let gateway = try Casedesk.run(args + gw)
            #expect(gateway.status == 1 && gateway.stdout.isEmpty && gateway.stderr.contains("gateway account"))
        }
    }

    @Test func theQuarantineIsForTheGatewayAndAdminsAndRetryKeepsAHeaderlessBody() throws {
        let db = try E2E.gatewayDatabase()
        let gw = ["--db", db, "--as", "mailgw"]
        #expect(try E2E.run(["mail", "deliver"] + gw, input: try E2E.eml("no-header.eml")).stderr.contains("quarantined as 1"))
        for sub in [["list"], ["show", "1"], ["retry", "1", "--from", "ann@example.com"]] {
            let agent = try Casedesk.run(["mail", "quarantine"] + sub + ["--db", db, "--as", "alice"])
            #expect(agent.status == 1 && agent.stderr.contains("alice may not file and send channel contacts"), "\(agent.stderr)")
        }
        #expect(try Casedesk.run(["mail", "quarantine", "list"] + gw).stdout.contains("no header fields"))
        #expect(try Casedesk.run(["mail", "quarantine", "show", "1"] + gw).stdout.contains("without any header at all"))
        let retry = try Casedesk.run(["mail", "quarantine", "retry", "1", "--from", "ann@example.com"] + gw)
        #expect(retry.status == 0 && retry.stdout == "1\n", "\(retry.stderr)")
        let show = try Casedesk.run(["case", "show", "1", "--db", db, "--as", "admin"]).stdout
        #expect(show.contains("ann@example.com · email via mailgw: just some text"), "\(show)")
    }
}
