import CaseCore
import CaseDesk
import Foundation
import Testing

/// An email case in the desk: the customer's mail with its sender and the gateway that
/// brought it, and each response's mail state (queued, then sent or failed).
@Suite struct MailDeskTests {
    @Test func anEmailCaseShowsTheMailAndEachResponsesDeliveryState() throws {
        let (desk, screen, store) = try DeskFixtures.desk(cols: 140, rows: 36)
        try store.addUser(login: "mailgw", name: "Mail gateway", role: .gateway)
        try store.addUser(login: "admin", name: "Morgan Blake", role: .admin)
        try store.setSetting("mail.from", "Acme Support <help@acme.example>", by: "admin")
        try store.setSetting("mail.sendmail", "/usr/sbin/sendmail -t -i", by: "admin")
        let mail = Array("""
            From: =?UTF-8?Q?Ren=C3=A9e_Dubois?= <renee@example.fr>\r
            Subject: Charged twice\r
            Message-ID: <renee-1@example.fr>\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Bonjour, I was charged twice for November.\r
            \r
            On Mon, Acme wrote:\r
            > earlier mail\r
            """.utf8)
        guard case .filed(let filed) = try store.deliverMail(mail, as: "mailgw") else { Issue.record("not filed"); return }
        try store.assign(filed.caseId, to: "alice", by: "dana")
        desk.send(.dataChanged)
        let row = try #require(desk.state.queue.rows.firstIndex { $0.id == filed.caseId })
        DeskFixtures.keys(desk, Array(repeating: .down, count: row) + [.enter])
        #expect(desk.state.open?.id == filed.caseId)
        #expect(screen.text().contains("Renée Dubois <renee@example.fr> · email via mailgw: Bonjour"))
        #expect(screen.text().contains("[2 quoted lines folded away]"))

        // c, "disp", Enter, then r: the greeting goes out by mail after commit.
        DeskFixtures.keys(desk, [.char("c")])
        DeskFixtures.type(desk, "disp")
        DeskFixtures.keys(desk, [.enter, .char("r")])
        #expect(screen.text().contains("response sent · mail queued"))
        #expect(screen.text().contains("response (alice) · mail queued: Hello Renée"))

        // A flush elsewhere sends it: the desk hears of it through the timeline.
        _ = try store.flushOutbox(as: "mailgw") { _, _ in nil }
        desk.send(.dataChanged)
        #expect(screen.text().contains("response (alice) · mail sent: Hello Renée"))
        #expect(screen.text().contains("mail to renee@example.fr: sent"))
        try expectGolden(screen, "email-case-sent")
    }
}
