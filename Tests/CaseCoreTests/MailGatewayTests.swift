import Foundation
import GRDB
import Testing
@testable import CaseCore

/// Filing mail as the gateway: threading, dedupe, loops, quarantine, attachments, outbox.
@Suite struct MailGatewayTests {
    static func gatewayStore() throws -> CaseStore {
        let (store, _) = try Fixtures.store()
        try store.addUser(login: "mailgw", name: "Mail gateway", role: .gateway)
        try store.addUser(login: "admin", name: "Morgan Blake", role: .admin)
        return store
    }

    func deliver(_ store: CaseStore, _ file: String) throws -> MailDeliveryResult {
        try store.deliverMail(try MailCorpus.bytes(file), as: "mailgw")
    }

    @Test func aNewMessageOpensAnEmailCaseForTheSender() throws {
        let store = try Self.gatewayStore()
        guard case .filed(.filed(let id, _, true, false)) = try deliver(store, "plain-utf8.eml") else { Issue.record("not filed"); return }
        let d = try store.detail(id)
        #expect(d.record.channel == .email && d.record.callType == nil && d.record.subject == "Card declined at checkout")
        #expect(d.customer.name == "Dana Reyes" && d.customer.email == "dana@example.com")
        let message = try #require(d.events.last)
        #expect(message.kind == .message && message.actor == "mailgw" && message.newValue == "Dana Reyes <dana@example.com>")
        #expect(TimelineText.line(for: message).hasPrefix("Dana Reyes <dana@example.com> · email via mailgw: Hello"))
    }

    @Test func theSameMessageIdFilesOnce() throws {
        let store = try Self.gatewayStore()
        let first = try deliver(store, "plain-utf8.eml")
        let again = try deliver(store, "plain-utf8.eml")
        guard case .filed(let a) = first, case .filed(.duplicate(let b)) = again else { Issue.record("\(again)"); return }
        #expect(a.caseId == b)
        #expect(try store.detail(b).events.filter { $0.kind == .message }.count == 1)
        // No Message-ID: the content's hash stands in for it.
        let n1 = try deliver(store, "no-message-id.eml"), n2 = try deliver(store, "no-message-id.eml")
        guard case .filed(.duplicate) = n2 else { Issue.record("\(n1) \(n2)"); return }
    }

    @Test func repliesThreadByTagAndByHeaderAndReopen() throws {
        let store = try Self.gatewayStore()
        guard case .filed(let first) = try deliver(store, "plain-utf8.eml") else { Issue.record("not filed"); return }
        #expect(first.caseId == 1)
        try store.setStatus(1, to: .open, by: "dana")
        try store.resolve(1, code: "fixed", by: "dana")
        guard case .filed(.filed(let byTag, _, false, true)) = try deliver(store, "reply-by-tag.eml") else { Issue.record("tag"); return }
        #expect(byTag == 1)
        #expect(try store.detail(1).record.status == .open)
        let line = try #require(try store.detail(1).events.last)
        #expect(line.body == "Thanks, it works now.\n[3 quoted lines folded away]")
        guard case .filed(.filed(let byHeader, _, false, false)) = try deliver(store, "reply-by-header.eml") else { Issue.record("hdr"); return }
        #expect(byHeader == 1)
        // Kept whole, quotes and all.
        #expect(try store.channelMessages(caseId: 1).last?.text?.contains("Earlier text.") == true)
    }

    @Test func machineMailNeverOpensACase() throws {
        let store = try Self.gatewayStore()
        for file in ["auto-reply.eml", "bounce.eml", "bulk.eml"] {
            guard case .dropped = try deliver(store, file) else { Issue.record("\(file) was filed"); continue }
        }
        #expect(try store.listCases().isEmpty)
        try store.setSetting("mail.from", "Acme Support <help@acme.example>", by: "admin")
        let loop = Array("From: help@acme.example\r\nSubject: x\r\nMessage-ID: <l@x>\r\n\r\nloop\r\n".utf8)
        guard case .dropped(let why) = try store.deliverMail(loop, as: "mailgw") else { Issue.record("loop filed"); return }
        #expect(why.contains("loop"))
    }

    @Test func unreadableMailIsQuarantinedWhole() throws {
        let store = try Self.gatewayStore()
        let raw = try MailCorpus.bytes("no-header.eml")
        guard case .quarantined(let id, let reason) = try store.deliverMail(raw, as: "mailgw") else { Issue.record("filed"); return }
        #expect(reason.contains("no header"))
        #expect(try store.quarantinedMessage(id, as: "mailgw").1 == raw)
        #expect(try store.listCases().isEmpty)
        guard case .filed(let o) = try store.retryQuarantined(id, as: "mailgw", sender: "ann@example.com") else { Issue.record("retry"); return }
        #expect(try store.quarantined(as: "admin").first?.filedCaseId == o.caseId)
        // With no header at all, the whole message is the body: `From:` and the empty line that ends a header go before it.
        let message = try #require(try store.detail(o.caseId).events.last)
        #expect(message.body == "just some text\nwithout any header at all" && message.newValue == "ann@example.com")
    }

    @Test func onlyTheGatewayAndAdminsReachTheQuarantine() throws {
        let store = try Self.gatewayStore()
        guard case .quarantined(let id, _) = try store.deliverMail(try MailCorpus.bytes("no-header.eml"), as: "mailgw") else { Issue.record("filed"); return }
        for login in ["alice", "dana"] {
            #expect(throws: CaseError.self) { try store.quarantined(as: login) }
            #expect(throws: CaseError.self) { try store.quarantinedMessage(id, as: login) }
            #expect(throws: CaseError.self) { try store.retryQuarantined(id, as: login, sender: "ann@example.com") }
        }
        #expect(try store.quarantined(as: "mailgw").count == 1 && store.quarantined(as: "admin").count == 1)
        // A message that has header fields but no sender: `From:` joins its header.
        guard case .quarantined(let noSender, _) = try store.deliverMail(try MailCorpus.bytes("no-sender.eml"), as: "mailgw") else { Issue.record("filed"); return }
        guard case .filed(let o) = try store.retryQuarantined(noSender, as: "admin", sender: "bo@example.com") else { Issue.record("retry"); return }
        #expect(try store.detail(o.caseId).events.last?.body?.contains("(no text)") == false)
        // An empty message: nothing to file, said in one line; a sender with a line break is no address.
        let empty = try store.write { db in try CaseStore.quarantine(db, Array("\r\n \r\n".utf8), reason: "the message is empty", at: Date()) }
        let refusal = #expect(throws: CaseError.self) { try store.retryQuarantined(empty, as: "mailgw", sender: "ann@example.com") }
        #expect(refusal == CaseError.invalid("quarantined message \(empty) is empty: there is nothing to file"))
        #expect(throws: CaseError.self) { try store.retryQuarantined(id, as: "mailgw", sender: "ann@example.com\r\nBcc: x@y.z") }
    }

    @Test func attachmentsAreStoredByContentAndOverTheLimitOnlyListed() throws {
        let store = try Self.gatewayStore()
        guard case .filed(let o) = try deliver(store, "rfc2231-filename.eml") else { Issue.record("not filed"); return }
        let list = try store.attachments(caseId: o.caseId)
        #expect(list.map(\.filename) == ["€ Rechnung.pdf", "über.png"])
        let sha = try #require(list[0].sha256)
        #expect(FileManager.default.contents(atPath: store.attachmentPath(sha256: sha)).map { [UInt8]($0) }?.prefix(5).elementsEqual("%PDF-".utf8) == true)
        #expect(try store.detail(o.caseId).events.last?.body?.contains("attachment: € Rechnung.pdf · application/pdf · 19 B") == true)

        // 20 MB over the default 10 MB limit: filed, listed, not kept.
        let big = [UInt8](repeating: 0x41, count: 20 * 1_048_576)
        let message = Array("""
            From: ed@example.com\r\nSubject: Big\r\nMessage-ID: <big@example.com>\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nHuge file.\r\n--B\r\n\
            Content-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n
            """.utf8) + Array(TransferEncoding.base64Encode(big).utf8) + Array("\r\n--B--\r\n".utf8)
        guard case .filed(let b) = try store.deliverMail(message, as: "mailgw") else { Issue.record("big not filed"); return }
        let listed = try store.attachments(caseId: b.caseId)
        #expect(listed.count == 1 && listed[0].size == big.count && listed[0].sha256 == nil)
        #expect(listed[0].note == "not kept: over the 10 MB limit")
        #expect(try store.detail(b.caseId).events.last?.body?.contains("big.bin · application/octet-stream · 20.0 MB · not kept") == true)
    }

    /// The rfc2231 message again, from another sender and with its own Message-ID.
    static func sameAttachments(from sender: String, id: String) throws -> [UInt8] {
        let text = String(decoding: try MailCorpus.bytes("rfc2231-filename.eml"), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n").filter { !$0.lowercased().hasPrefix("message-id:") && !$0.lowercased().hasPrefix("from:") }
        return Array((["From: \(sender)", "Message-ID: <\(id)@example.com>"] + lines).joined(separator: "\r\n").utf8)
    }

    @Test func retentionDeletesAnAttachmentFileOnceNoCaseNamesItAndSweepsOldStrays() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_600_000_000))
        let (store, _) = try Fixtures.store(now: { clock.now })
        try store.addUser(login: "mailgw", name: "Mail gateway", role: .gateway)
        try store.addUser(login: "admin", name: "Morgan Blake", role: .admin)
        guard case .filed(let a) = try store.deliverMail(try Self.sameAttachments(from: "ann@example.com", id: "a1"), as: "mailgw"),
              case .filed(let b) = try store.deliverMail(try Self.sameAttachments(from: "bo@example.com", id: "b1"), as: "mailgw") else {
            Issue.record("not filed"); return
        }
        let shas = try store.attachments(caseId: a.caseId).compactMap(\.sha256)
        let bShas = try store.attachments(caseId: b.caseId).compactMap(\.sha256)
        #expect(shas.count == 2 && Set(shas) == Set(bShas))
        let files = shas.map { store.attachmentPath(sha256: $0) }
        // A stray a day old that no row names (a delivery that never committed), and a young one.
        let strayOld = store.attachmentPath(sha256: String(repeating: "ab", count: 32))
        let strayYoung = store.attachmentPath(sha256: String(repeating: "cd", count: 32))
        for stray in [strayOld, strayYoung] {
            try FileManager.default.createDirectory(atPath: (stray as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: stray, contents: Data("x".utf8)))
        }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 86_400)], ofItemAtPath: strayOld)

        try store.resolve(a.caseId, code: "fixed", by: "admin")
        clock.advance(4 * 365 * 86_400)
        let first = try store.runRetention(period: RetentionPeriod("3y"), dryRun: false, by: "admin")
        #expect(first.cases == 1)
        // The other case still names both files: they stay. The old stray goes, the young one stays.
        #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        #expect(!FileManager.default.fileExists(atPath: strayOld) && FileManager.default.fileExists(atPath: strayYoung))
        #expect(first.attachmentFiles == 1)

        try store.resolve(b.caseId, code: "fixed", by: "admin")
        clock.advance(4 * 365 * 86_400)
        let second = try store.runRetention(period: RetentionPeriod("3y"), dryRun: false, by: "admin")
        #expect(second.cases == 1 && second.attachmentFiles == 2)
        #expect(files.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM attachments") } == 0)
    }

    @Test func erasureDeletesTheCustomersAttachmentFilesAndListsThemAsErased() throws {
        let store = try Self.gatewayStore()
        guard case .filed(let o) = try deliver(store, "rfc2231-filename.eml") else { Issue.record("not filed"); return }
        let files = try store.attachments(caseId: o.caseId).compactMap(\.sha256).map { store.attachmentPath(sha256: $0) }
        #expect(files.count == 2 && files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        let customer = try store.detail(o.caseId).customer.id
        let report = try store.eraseCustomer(customer, reason: "asked by mail", by: "admin")
        #expect(report.attachmentFiles == 2)
        #expect(files.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        let listed = try store.attachments(caseId: o.caseId)
        #expect(listed.count == 2 && listed.allSatisfy { $0.sha256 == nil && $0.note == "erased with the customer" })
        #expect(report.description.contains("2 attachment file(s) deleted"))
    }

    @Test func onlyTheGatewayOrAnAdminFiles() throws {
        let store = try Self.gatewayStore()
        #expect(throws: CaseError.self) { try store.deliverMail(try MailCorpus.bytes("plain-utf8.eml"), as: "alice") }
        #expect(try store.listCases().isEmpty)
    }

    @Test func aResponseOnAnEmailCaseIsQueuedInItsTransactionAndSentAfter() throws {
        let store = try Self.gatewayStore()
        try store.setSetting("mail.from", "Acme Support <help@acme.example>", by: "admin")
        try store.setSetting("mail.sendmail", "sendmail -t -i", by: "admin")
        #expect(throws: CaseError.self) { try store.setSetting("mail.from", "x@y.z", by: "alice") }
        guard case .filed(let o) = try deliver(store, "plain-utf8.eml") else { Issue.record("not filed"); return }
        #expect(try store.sendResponse(o.caseId, text: "Hello Dana, fixed — Grüße", by: "alice"))
        let responseId = try #require(try store.detail(o.caseId).events.last { $0.kind == .response }?.id)
        #expect(try store.detail(o.caseId).deliveries[responseId]?.state == .queued)

        var sent: [[UInt8]] = []
        let failing = try store.flushOutbox(as: "alice") { _, _ in "connection refused" }
        #expect(failing == CaseStore.FlushReport(sent: 0, failed: 1))
        let failed = try #require(try store.detail(o.caseId).deliveries[responseId])
        #expect(failed.state == .failed && failed.error == "connection refused" && failed.nextAttemptAt != nil)
        // Not due yet: a flush now sends nothing; --all retries at once.
        #expect(try store.flushOutbox(as: "alice") { _, m in sent.append(m); return nil } == CaseStore.FlushReport())
        #expect(try store.flushOutbox(as: "alice", retryNow: true) { _, m in sent.append(m); return nil } == CaseStore.FlushReport(sent: 1, failed: 0))
        #expect(try store.detail(o.caseId).deliveries[responseId]?.state == .sent)

        let back = try MailParser.parse(try #require(sent.first))
        #expect(back.from == MailAddress(name: "Acme Support", address: "help@acme.example"))
        #expect(back.headers.first("To") == "Dana Reyes <dana@example.com>")
        #expect(back.subject == "[CaseDesk #\(o.caseId)] Re: Card declined at checkout")
        #expect(back.inReplyTo == ["plain-1@example.com"])
        #expect(back.text == "Hello Dana, fixed — Grüße")
        // The customer's answer to it threads back by header alone.
        let answer = Array("From: dana@example.com\r\nSubject: ok\r\nMessage-ID: <a2@example.com>\r\nIn-Reply-To: <\(back.messageId!)>\r\n\r\nThanks\r\n".utf8)
        guard case .filed(let threaded) = try store.deliverMail(answer, as: "mailgw") else { Issue.record("answer"); return }
        #expect(threaded.caseId == o.caseId)
        // Timeline: the response shows its state, a delivery line says what happened.
        let lines = try store.detail(o.caseId).events.filter { $0.kind == .delivery }.map { TimelineText.line(for: $0) }
        #expect(lines.first?.hasPrefix("mail to dana@example.com: failed: connection refused") == true)
        #expect(lines.last == "mail to dana@example.com: sent")
    }

    @Test func aPhoneCaseSendsNoMail() throws {
        let store = try Self.gatewayStore()
        let id = try store.createCase(Fixtures.newCase(), by: "alice")
        #expect(try store.sendResponse(id, text: "Hi", by: "alice") == false)
        #expect(try store.outbox().isEmpty)
    }

    @Test func migrationKeepsEveryUserAndAcceptsTheGatewayRole() throws {
        let store = try Self.gatewayStore()
        #expect(try store.users().map(\.login) == ["admin", "alice", "bob", "dana", "ed", "mailgw"])
        #expect(try store.user(login: "mailgw").role == .gateway)
        let problems = try store.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(problems.isEmpty)
    }

    @Test func ingestLinesThreadAndDedupe() throws {
        let store = try Self.gatewayStore()
        let line = #"{"channel":"sms","customer":{"phone":"+15550100","name":"Ann Lee"},"text":"My order is late","external_id":"sms-1","at":"2026-11-29T09:00:00Z"}"#
        let first = try store.ingest(try Ingest.contact(line, team: nil), as: "mailgw")
        #expect(try store.ingest(try Ingest.contact(line, team: nil), as: "mailgw") == .duplicate(caseId: first.caseId))
        let d = try store.detail(first.caseId)
        #expect(d.record.channel == .mobile && d.events.last?.channel == "sms" && d.events.last?.newValue == "Ann Lee (+15550100)")
        let reply = #"{"channel":"sms","customer":{"phone":"+15550100"},"text":"Any news?","external_id":"sms-2","case_id":\#(first.caseId)}"#
        #expect(try store.ingest(try Ingest.contact(reply, team: nil), as: "mailgw").caseId == first.caseId)
        let missing = #expect(throws: CaseError.self) { try Ingest.contact(#"{"channel":"sms","external_id":"x","customer":{"phone":"1"}}"#, team: nil) }
        #expect(missing == CaseError.invalid("missing \"text\""))
        #expect(throws: CaseError.self) { try Ingest.contact("{not json", team: nil) }
        #expect(throws: CaseError.self) { try Ingest.contact(#"{"channel":"pigeon","text":"x","external_id":"1","customer":{"phone":"1"}}"#, team: nil) }
    }
}
