import Foundation

/// One attachment of a parsed message.
public struct MailAttachment: Sendable {
    public var filename: String
    public var contentType: String
    public var data: [UInt8]
    public var size: Int { data.count }
}

/// An RFC 5322 message reduced to what a case needs: who, what about, the readable
/// text, the attachments, the ids that thread it, and whether a machine sent it.
public struct ParsedMail: Sendable {
    public var headers: MailHeaders
    public var from: MailAddress?
    public var subject: String
    public var messageId: String?
    public var inReplyTo: [String]
    public var references: [String]
    /// The readable body: text/plain when there is one, else text from the HTML.
    public var text: String
    public var attachments: [MailAttachment]
    /// A multipart body ended without its closing boundary: what arrived is kept.
    public var truncated: Bool
    /// Why this is an auto-reply, a bounce or bulk mail (never to open a case or be answered); nil for a person's mail.
    public var automatic: String?
}

public enum MailParseError: Error, Equatable, CustomStringConvertible {
    case empty
    case noHeader
    case noSender

    public var description: String {
        switch self {
        case .empty: "the message is empty"
        case .noHeader: "no header fields: not an RFC 5322 message"
        case .noSender: "no sender address in From, Sender, Reply-To or Return-Path"
        }
    }
}

public enum MailParser {
    static let maxDepth = 20
    static let maxParts = 500

    public static func parse(_ raw: [UInt8]) throws -> ParsedMail {
        guard raw.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { throw MailParseError.empty }
        let entity = Entity(raw, 0..<raw.count)
        let h = entity.headers
        guard !h.fields.isEmpty else { throw MailParseError.noHeader }
        let from = h.first("From").flatMap(MailAddress.parse) ?? h.first("Sender").flatMap(MailAddress.parse)
            ?? h.first("Reply-To").flatMap(MailAddress.parse) ?? h.first("Return-Path").flatMap(MailAddress.parse)
        guard let from else { throw MailParseError.noSender }
        var walk = Walk(raw: raw)
        walk.visit(entity, depth: 0, inAlternative: false)
        let text = walk.plain ?? walk.html.map(MailText.fromHTML) ?? ""
        return ParsedMail(
            headers: h, from: from,
            subject: h.decoded("Subject").map { $0.replacingOccurrences(of: "\n", with: " ").trimmingBlanks(newlines: false) } ?? "",
            messageId: MessageIds.parse(h.first("Message-ID")).first,
            inReplyTo: MessageIds.parse(h.first("In-Reply-To")),
            references: MessageIds.parse(h.first("References")),
            text: MailText.clean(text).trimmingBlanks(),
            attachments: walk.attachments, truncated: walk.truncated,
            automatic: automaticReason(h, from: from))
    }

    /// RFC 3834 and the long-standing conventions: auto-replies, bounces, bulk and list mail.
    static func automaticReason(_ h: MailHeaders, from: MailAddress) -> String? {
        if let auto = h.first("Auto-Submitted")?.split(separator: ";").first?.trimmingBlanks(newlines: false).lowercased(),
           !auto.isEmpty, auto != "no" { return "Auto-Submitted: \(auto)" }
        if let p = h.first("Precedence")?.trimmingBlanks(newlines: false).lowercased(), ["bulk", "junk", "list", "auto_reply"].contains(p) {
            return "Precedence: \(p)"
        }
        for name in ["X-Autoreply", "X-Autorespond", "X-Autoresponder"] where h.first(name) != nil { return "\(name) header" }
        if let rp = h.first("Return-Path"), rp.replacingOccurrences(of: " ", with: "") == "<>" { return "null return path (a bounce)" }
        let local = from.localPart
        if ["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"].contains(local) { return "from \(local) (a bounce)" }
        if let ct = h.first("Content-Type"), HeaderValue(ct).value == "multipart/report" { return "a delivery or read report" }
        return nil
    }

    /// A MIME entity: its header fields and where its body lies in the message.
    struct Entity {
        var headers: MailHeaders
        var body: Range<Int>

        init(_ raw: [UInt8], _ range: Range<Int>) {
            // The header ends at the first empty line; a part may start with it (no header).
            var i = range.lowerBound
            var headerEnd = range.lowerBound, bodyStart = range.upperBound
            var found = false
            while i < range.upperBound {
                var end = i
                while end < range.upperBound, raw[end] != 0x0A { end += 1 }
                let empty = end == i || (end == i + 1 && raw[i] == 0x0D)
                if empty { headerEnd = i; bodyStart = min(end + 1, range.upperBound); found = true; break }
                i = end + 1
            }
            if !found { headerEnd = range.upperBound; bodyStart = range.upperBound }
            headers = MailHeaders.parse(raw, range.lowerBound..<headerEnd)
            body = bodyStart..<range.upperBound
        }

        var contentType: HeaderValue {
            HeaderValue(headers.first("Content-Type") ?? "text/plain; charset=us-ascii")
        }
    }

    /// Walks the MIME tree collecting the first text/plain, the first text/html and the attachments.
    struct Walk {
        let raw: [UInt8]
        var plain: String?
        var html: String?
        var attachments: [MailAttachment] = []
        var truncated = false
        var parts = 0

        mutating func visit(_ e: Entity, depth: Int, inAlternative: Bool) {
            parts += 1
            guard depth < MailParser.maxDepth, parts < MailParser.maxParts else { truncated = true; return }
            let ct = e.contentType
            let disposition = e.headers.first("Content-Disposition").map(HeaderValue.init)
            let filename = disposition?.parameters["filename"] ?? ct.parameters["name"]
            if ct.value.hasPrefix("multipart/") {
                guard let boundary = ct.parameters["boundary"], !boundary.isEmpty else {
                    // A multipart without a boundary: read its body as text.
                    if plain == nil { plain = Charset.decode(raw[e.body], charset: ct.parameters["charset"]) }
                    return
                }
                let (ranges, closed) = MailParser.split(raw, e.body, boundary: boundary)
                if !closed { truncated = true }
                let children = ranges.map { Entity(raw, $0) }
                if ct.value == "multipart/alternative" {
                    // Prefer text/plain; fall back to the richest other part.
                    let plainChild = children.first { $0.contentType.value == "text/plain" }
                    for child in plainChild.map({ [$0] }) ?? children.reversed() { visit(child, depth: depth + 1, inAlternative: true) }
                } else {
                    for child in children { visit(child, depth: depth + 1, inAlternative: false) }
                }
                return
            }
            if ct.value == "message/rfc822", disposition?.value != "attachment" {
                attachments.append(MailAttachment(filename: filename ?? "message.eml", contentType: ct.value, data: Array(raw[e.body])))
                return
            }
            let data = MailParser.decodeBody(raw[e.body], encoding: e.headers.first("Content-Transfer-Encoding"))
            let isAttachment = disposition?.value == "attachment" || (filename != nil && !ct.value.hasPrefix("text/"))
                || !(ct.value.hasPrefix("text/") || ct.value.isEmpty)
            if !isAttachment, ct.value == "text/plain" || ct.value == "text" || ct.value.isEmpty, plain == nil {
                plain = Charset.decode(data, charset: ct.parameters["charset"])
            } else if !isAttachment, ct.value == "text/html", html == nil {
                html = Charset.decode(data, charset: ct.parameters["charset"])
            } else if inAlternative, !isAttachment {
                return
            } else {
                let name = filename.map { MailText.clean($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "attachment-\(attachments.count + 1)"
                attachments.append(MailAttachment(filename: name, contentType: ct.value.isEmpty ? "application/octet-stream" : ct.value, data: data))
            }
        }
    }

    static func decodeBody(_ bytes: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch (encoding ?? "").trimmingBlanks(newlines: false).lowercased() {
        case "base64": TransferEncoding.base64(bytes)
        case "quoted-printable": TransferEncoding.quotedPrintable(bytes)
        default: Array(bytes)
        }
    }

    /// The parts of a multipart body between `--boundary` lines, and whether the closing
    /// `--boundary--` was there.
    static func split(_ raw: [UInt8], _ body: Range<Int>, boundary: String) -> ([Range<Int>], Bool) {
        let delimiter = Array("--\(boundary)".utf8)
        var ranges: [Range<Int>] = []
        var partStart: Int?
        var i = body.lowerBound
        while i < body.upperBound {
            // i is at a line start.
            var end = i
            while end < body.upperBound, raw[end] != 0x0A { end += 1 }
            if end - i >= delimiter.count, raw[i] == 0x2D, raw[i + 1] == 0x2D, raw[i..<(i + delimiter.count)].elementsEqual(delimiter) {
                let after = i + delimiter.count
                let closing = after + 1 < end + 1 && after + 1 <= body.upperBound - 1 && raw[after] == 0x2D && raw[after + 1] == 0x2D
                let restBlank = raw[(closing ? after + 2 : after)..<end].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
                if restBlank {
                    if let start = partStart {
                        // The line break before the delimiter belongs to the delimiter.
                        var stop = i
                        if stop > start, raw[stop - 1] == 0x0A { stop -= 1 }
                        if stop > start, raw[stop - 1] == 0x0D { stop -= 1 }
                        ranges.append(start..<max(start, stop))
                    }
                    if closing { return (ranges, true) }
                    partStart = min(end + 1, body.upperBound)
                    if ranges.count >= MailParser.maxParts { return (ranges, false) }
                }
            }
            i = end + 1
        }
        if let start = partStart, start < body.upperBound { ranges.append(start..<body.upperBound) }
        return (ranges, false)
    }
}
