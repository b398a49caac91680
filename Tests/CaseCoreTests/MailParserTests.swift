import Foundation
import Testing
@testable import CaseCore

/// The MIME parser on a corpus of hand-made messages (Tests/CaseCoreTests/mail-corpus).
enum MailCorpus {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("mail-corpus")
    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))) }
    static func parse(_ name: String) throws -> ParsedMail { try MailParser.parse(try bytes(name)) }
}

@Suite struct MailParserTests {
    @Test func plainUTF8() throws {
        let m = try MailCorpus.parse("plain-utf8.eml")
        #expect(m.from == MailAddress(name: "Dana Reyes", address: "dana@example.com"))
        #expect(m.subject == "Card declined at checkout")
        #expect(m.messageId == "plain-1@example.com")
        #expect(m.text == "Hello, my card was declined twice — can you help? Ünïcödé ✓")
        #expect(m.automatic == nil)
    }

    @Test func alternativePrefersPlainText() throws {
        let m = try MailCorpus.parse("alternative-prefers-plain.eml")
        #expect(m.text == "The plain version.")
        #expect(m.attachments.isEmpty)
    }

    @Test func htmlOnlyBecomesReadableText() throws {
        let m = try MailCorpus.parse("html-only.eml")
        #expect(m.from?.name == "Tess, from Shop")
        #expect(m.text == "Order #4711 & <friends>\nLine two!\nCafé")
        #expect(!m.text.contains("alert") && !m.text.contains("color") && !m.text.contains("ignored"))
    }

    @Test func quotedPrintableLatin1() throws {
        let m = try MailCorpus.parse("qp-latin1.eml")
        #expect(m.from == MailAddress(name: "André Müller", address: "andre@example.com"))
        #expect(m.subject == "Grüße aus Köln")
        #expect(m.text == "Grüße, der Drucker ist kaputt. Ein sehr langer Satz, der weich umbrochen wird.")
    }

    @Test(arguments: [
        ("iso-8859-15.eml", "Euro", "Price: 10 €, œ"),
        ("windows-1252.eml", "Quotes", "“Smart quotes” – and € sign"),
        ("iso-2022-jp.eml", "プリンターが壊れました", "こんにちは、プリンターが壊れました。"),
        ("shift-jis.eml", "請求書について", "請求書が届きません。"),
        ("gb2312.eml", "退款申请", "我想申请退款。"),
        ("big5.eml", "帳單問題", "我的帳單有錯誤。"),
        ("koi8-r.eml", "Счёт", "Здравствуйте, счёт неверный."),
    ])
    func charsets(_ file: String, _ subject: String, _ text: String) throws {
        let m = try MailCorpus.parse(file)
        #expect(m.subject == subject)
        #expect(m.text == text)
    }

    /// 8-bit text that is not UTF-8, labelled with a charset iconv does not know, labelled
    /// UTF-8, or not labelled at all (RFC 2045: US-ASCII), is read as Windows-1252, the whole part.
    @Test(arguments: ["latin1-unknown-charset.eml", "latin1-labelled-utf8.eml", "latin1-no-charset.eml"])
    func eightBitTextThatIsNotUTF8IsReadAsWindows1252(_ file: String) throws {
        #expect(try MailCorpus.parse(file).text == "Café au lait, 5 € – merci")
    }

    @Test func charsetFallbacks() {
        let latin: [UInt8] = [0x43, 0x61, 0x66, 0xE9]
        for label in ["x-foo", "utf-8", "us-ascii", "", nil] as [String?] {
            #expect(Charset.decode(latin, charset: label) == "Café", "\(label ?? "nil")")
        }
        // Valid UTF-8 stays UTF-8 whatever the label iconv does not know.
        #expect(Charset.decode(Array("Café ✓".utf8), charset: "x-foo") == "Café ✓")
        #expect(Charset.decode(Array("Café ✓".utf8), charset: nil) == "Café ✓")
    }

    @Test func namesInAnyScript() throws {
        #expect(try MailCorpus.parse("iso-2022-jp.eml").from?.name == "山田太郎")
        #expect(try MailCorpus.parse("koi8-r.eml").from?.name == "Иван Петров")
    }

    @Test func adjacentEncodedWordsJoinWithoutTheBlankBetween() throws {
        let m = try MailCorpus.parse("encoded-words.eml")
        #expect(m.from?.name == "José García")
        #expect(m.subject == "Árbol plain café end")
    }

    @Test func attachmentsWithRFC2231AndEncodedNames() throws {
        let m = try MailCorpus.parse("rfc2231-filename.eml")
        #expect(m.text == "See the attachment.")
        #expect(m.attachments.map(\.filename) == ["€ Rechnung.pdf", "über.png"])
        #expect(m.attachments.map(\.contentType) == ["application/pdf", "image/png"])
        #expect(Array(m.attachments[0].data.prefix(5)) == Array("%PDF-".utf8))
    }

    @Test func machineMailIsRecognised() throws {
        #expect(try MailCorpus.parse("auto-reply.eml").automatic == "Auto-Submitted: auto-replied")
        #expect(try MailCorpus.parse("bounce.eml").automatic != nil)
        #expect(try MailCorpus.parse("bulk.eml").automatic == "Precedence: bulk")
        #expect(try MailCorpus.parse("plain-utf8.eml").automatic == nil)
    }

    @Test func truncatedMultipartKeepsWhatArrived() throws {
        let m = try MailCorpus.parse("truncated-multipart.eml")
        #expect(m.truncated)
        #expect(m.text == "The first part arrived whole.")
        #expect(m.attachments.count == 1)
        #expect(m.attachments[0].data == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    @Test func invalidUTF8InAHeaderIsReadAsLatin() throws {
        let m = try MailCorpus.parse("invalid-utf8-header.eml")
        #expect(m.from?.address == "broken@example.com")
        #expect(m.subject == "CafÃ© Ã( menu" || m.subject.hasPrefix("Caf"))
        #expect(m.subject.unicodeScalars.allSatisfy { $0.value >= 0x20 })
        // Labelled UTF-8 but not: the whole body is read as Windows-1252, not a U+FFFD.
        #expect(m.text == "Body with a bad byte: Ã( end")
    }

    @Test func unreadableMessagesAreNamed() throws {
        #expect(throws: MailParseError.noHeader) { try MailCorpus.parse("no-header.eml") }
        #expect(throws: MailParseError.noSender) { try MailCorpus.parse("no-sender.eml") }
        #expect(throws: MailParseError.empty) { try MailParser.parse(Array("\r\n\r\n".utf8)) }
    }

    @Test func hostileTextIsNeverAControlSequence() throws {
        let m = try MailCorpus.parse("hostile.eml")
        for s in [m.subject, m.text, m.from?.name ?? ""] {
            #expect(!s.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
            #expect(!s.unicodeScalars.contains { $0.value == 0x202E })
        }
        #expect(m.text.contains("clear and a NUL"))
    }

    @Test func quotedRepliesFoldAway() throws {
        let tag = MailText.foldQuotes(try MailCorpus.parse("reply-by-tag.eml").text)
        #expect(tag.fresh == "Thanks, it works now.")
        #expect(tag.folded == 3)
        let outlook = MailText.foldQuotes(try MailCorpus.parse("reply-by-header.eml").text)
        #expect(outlook.fresh == "One more question about the same order.")
        #expect(outlook.folded == 4)
    }

    @Test func subjectTag() {
        #expect(SubjectTag.caseId(in: "Re: [Acme #1234] Printer", tag: "Acme") == 1234)
        #expect(SubjectTag.caseId(in: "RE: [acme   #7]", tag: "Acme") == 7)
        #expect(SubjectTag.caseId(in: "[Acme #12x] no", tag: "Acme") == nil)
        #expect(SubjectTag.caseId(in: "[Other #12]", tag: "Acme") == nil)
        #expect(SubjectTag.tagged("Re: [Acme #5] x", tag: "Acme", caseId: 5) == "Re: [Acme #5] x")
    }

    @Test func encodingRoundTrips() throws {
        let subject = "Grüße 你好 — привет, a long subject that needs more than one encoded word to fit"
        let encoded = TransferEncoding.encodeHeader(subject)
        #expect(encoded.components(separatedBy: "\r\n").count > 1)
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(TransferEncoding.decodeHeader(encoded.replacingOccurrences(of: "\r\n", with: "")) == subject)
        let body = "Zeile mit Ümlaut = und 中文\n" + String(repeating: "x", count: 200)
        let qp = TransferEncoding.quotedPrintableEncode(body)
        #expect(qp.split(separator: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(String(decoding: TransferEncoding.quotedPrintable(Array(qp.utf8)), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n") == body)
    }

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
