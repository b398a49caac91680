import Foundation
import GRDB
import Testing
@testable import CaseCore

/// Bounces of responses CaseDesk sent, each team's own From address, and the trimming
/// the parser uses instead of Foundation's.
@Suite struct MailBounceTests {
    /// A store with a case opened by mail and one response on it sent; returns the case and the sent message.
    static func sentResponse() throws -> (CaseStore, Int64, ParsedMail) {
        let store = try MailGatewayTests.gatewayStore()
        try store.setSetting("mail.from", "Acme Support <help@acme.example>", by: "admin")
        try store.setSetting("mail.sendmail", "sendmail -t -i", by: "admin")
        guard case .filed(let o) = try store.deliverMail(try MailCorpus.bytes("plain-utf8.eml"), as: "mailgw") else { throw CaseError.invalid("not filed") }
        #expect(try store.sendResponse(o.caseId, text: "Hello Dana, fixed.", by: "alice"))
        var sent: [UInt8] = []
        #expect(try store.flushOutbox(as: "alice") { _, m in sent = m; return nil } == CaseStore.FlushReport(sent: 1, failed: 0))
        return (store, o.caseId, try MailParser.parse(sent))
    }

    /// A bounce from the corpus, about the message `id`.
    static func bounce(_ file: String, about id: String) throws -> [UInt8] {
        Array(String(decoding: try MailCorpus.bytes(file), as: UTF8.self).replacingOccurrences(of: "ORIGINAL-ID", with: id).utf8)
    }

    static func delivery(_ store: CaseStore, _ caseId: Int64) throws -> ResponseDelivery {
        let d = try store.detail(caseId)
        let response = try #require(d.events.last { $0.kind == .response })
        return try #require(d.deliveries[response.id])
    }

    @Test func aDeliveryReportMarksTheResponseFailedWithItsReasonAndOpensNoCase() throws {
        let (store, caseId, sent) = try Self.sentResponse()
        let raw = try Self.bounce("bounce-dsn.eml", about: try #require(sent.messageId))
        guard case .bounced(let on, let reason) = try store.deliverMail(raw, as: "mailgw") else { Issue.record("not read as a bounce"); return }
        #expect(on == caseId)
        #expect(reason == "bounced: 550 5.1.1 <dana@example.com>: Recipient address rejected: User unknown")
        let state = try Self.delivery(store, caseId)
        #expect(state.state == .failed && state.error == reason && state.nextAttemptAt == nil)
        // The timeline says so; no case was opened and no message filed.
        let d = try store.detail(caseId)
        #expect(d.events.last.map { TimelineText.line(for: $0) } == "mail to dana@example.com: failed: \(reason) · gave up")
        #expect(d.events.filter { $0.kind == .message }.count == 1)
        #expect(try store.listCases().count == 1)
        #expect(try store.channelMessages(caseId: caseId).last?.text?.contains("Recipient address rejected") == true)
        // Nothing sends it again on its own.
        #expect(try store.flushOutbox(as: "alice") { _, _ in Issue.record("sent again"); return nil } == CaseStore.FlushReport())
        // The same bounce twice changes nothing more.
        guard case .bounced = try store.deliverMail(raw, as: "mailgw") else { Issue.record("second time"); return }
        #expect(try store.detail(caseId).events.count == d.events.count)
    }

    @Test func aMailerDaemonsPlainBounceThreadsByInReplyTo() throws {
        let (store, caseId, sent) = try Self.sentResponse()
        guard case .bounced(let on, let reason) = try store.deliverMail(try Self.bounce("bounce-plain.eml", about: try #require(sent.messageId)), as: "mailgw")
        else { Issue.record("not read as a bounce"); return }
        #expect(on == caseId && reason == "bounced: Remote host said: 552 5.2.2 Mailbox full")
        #expect(try Self.delivery(store, caseId).state == .failed)
    }

    @Test func aDelayNoticeOrABounceOfUnknownMailChangesNothing() throws {
        let (store, caseId, sent) = try Self.sentResponse()
        guard case .dropped = try store.deliverMail(try Self.bounce("bounce-delayed.eml", about: try #require(sent.messageId)), as: "mailgw") else {
            Issue.record("a delay is not a failure"); return
        }
        guard case .dropped = try store.deliverMail(try Self.bounce("bounce-dsn.eml", about: "someone-else@example.com"), as: "mailgw") else {
            Issue.record("not ours"); return
        }
        #expect(try Self.delivery(store, caseId).state == .sent)
        #expect(try store.listCases().count == 1)
    }

    @Test func aBounceArrivingWhileTheFlushRunsHasTheLastWord() throws {
        let store = try MailGatewayTests.gatewayStore()
        try store.setSetting("mail.from", "Acme Support <help@acme.example>", by: "admin")
        try store.setSetting("mail.sendmail", "sendmail -t -i", by: "admin")
        guard case .filed(let o) = try store.deliverMail(try MailCorpus.bytes("plain-utf8.eml"), as: "mailgw") else { Issue.record("not filed"); return }
        #expect(try store.sendResponse(o.caseId, text: "Hello", by: "alice"))
        // A local mail server bounces at once, before the flush has recorded the hand-over.
        let report = try store.flushOutbox(as: "alice") { _, message in
            let id = (try? MailParser.parse(message))?.messageId ?? "?"
            guard case .bounced = try? store.deliverMail(try! Self.bounce("bounce-dsn.eml", about: id), as: "mailgw") else { return "no bounce" }
            return nil
        }
        #expect(report.sent == 1)
        #expect(try Self.delivery(store, o.caseId).state == .failed)
    }

    @Test func aTeamsOwnAddressSendsItsResponsesAndOthersUseMailFrom() throws {
        let store = try MailGatewayTests.gatewayStore()
        try store.addTeam("Billing")
        try store.setSetting("mail.from", "Acme Support <help@acme.example>", by: "admin")
        try store.setSetting("mail.sendmail", "sendmail -t -i", by: "admin")
        try store.setSetting("mail.from.Billing", "Acme Billing <billing@acme.example>", by: "admin")
        #expect(throws: CaseError.noSuchTeam("Nope")) { try store.setSetting("mail.from.Nope", "x@acme.example", by: "admin") }
        #expect(throws: CaseError.self) { try store.setSetting("mail.from.Billing", "not an address", by: "admin") }
        let listed = try store.settingsList().map { "\($0.spec.key)=\($0.value ?? "-")" }
        #expect(listed.prefix(3) == ["mail.sendmail=sendmail -t -i", "mail.from=Acme Support <help@acme.example>",
                                     "mail.from.Billing=Acme Billing <billing@acme.example>"])

        guard case .filed(let billing) = try store.deliverMail(try MailCorpus.bytes("plain-utf8.eml"), as: "mailgw", team: "Billing"),
              case .filed(let general) = try store.deliverMail(try MailCorpus.bytes("qp-latin1.eml"), as: "mailgw") else {
            Issue.record("not filed"); return
        }
        #expect(try store.sendResponse(billing.caseId, text: "From billing", by: "admin"))
        #expect(try store.sendResponse(general.caseId, text: "From support", by: "alice"))
        var sent: [ParsedMail] = []
        _ = try store.flushOutbox(as: "alice") { _, m in sent.append(try! MailParser.parse(m)); return nil }
        let byText = Dictionary(uniqueKeysWithValues: sent.map { ($0.text, $0) })
        let fromBilling = try #require(byText["From billing"]), fromSupport = try #require(byText["From support"])
        #expect(fromBilling.from == MailAddress(name: "Acme Billing", address: "billing@acme.example"))
        #expect(fromBilling.messageId?.hasSuffix("@acme.example") == true && fromBilling.headers.first("X-Loop") == "billing@acme.example")
        #expect(fromSupport.from == MailAddress(name: "Acme Support", address: "help@acme.example"))
        // Mail from the team's address is a loop, like mail from mail.from.
        let loop = Array("From: billing@acme.example\r\nSubject: x\r\nMessage-ID: <loop@x>\r\n\r\nloop\r\n".utf8)
        guard case .dropped(let why) = try store.deliverMail(loop, as: "mailgw") else { Issue.record("loop filed"); return }
        #expect(why.contains("billing@acme.example"))
    }

    @Test func trimmingMatchesFoundation() {
        let samples = ["", " ", "\t x \t", "\u{00A0}Grüße\u{3000}", "\r\n line \n", "a\u{2028}", " \u{0085}b\u{0085} ",
                       "e\u{301} ", " 東京 ", "\u{FEFF}bom", "x\u{0B}\u{0C}"]
        for s in samples {
            #expect(s.trimmingBlanks() == s.trimmingCharacters(in: .whitespacesAndNewlines), "\(s.unicodeScalars.map(\.value))")
            #expect(s.trimmingBlanks(newlines: false) == s.trimmingCharacters(in: .whitespaces), "\(s.unicodeScalars.map(\.value))")
        }
        // A zero-width space is a format character, not a blank (corelibs Foundation trims it; mail keeps it).
        #expect("\u{200B}x ".trimmingBlanks() == "\u{200B}x")
        #expect("Content-TYPE".equalsIgnoringASCIICase("content-type") && !"Content-Typf".equalsIgnoringASCIICase("content-type"))
        #expect(!"[".equalsIgnoringASCIICase("{") && !"@".equalsIgnoringASCIICase("`"))
    }
}
