import Foundation

/// A message's or a part's header fields, unfolded, in order. Values are text: UTF-8
/// when the bytes are valid UTF-8 (RFC 6532), else read as Windows-1252; encoded
/// words are left alone here (see `decoded`).
public struct MailHeaders: Sendable {
    public var fields: [(name: String, value: String)] = []

    public init(fields: [(name: String, value: String)] = []) { self.fields = fields }

    public func first(_ name: String) -> String? {
        fields.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    public func all(_ name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    /// The value with RFC 2047 encoded words decoded and control characters removed.
    public func decoded(_ name: String) -> String? {
        first(name).map { MailText.clean(TransferEncoding.decodeHeader($0)) }
    }

    static let maxFields = 2_000

    /// Parses the header block `bytes[range]` (up to, not including, the blank line).
    static func parse(_ bytes: [UInt8], _ range: Range<Int>) -> MailHeaders {
        var headers = MailHeaders()
        var name = "", value: [UInt8] = []
        var have = false
        func finish() {
            if have, headers.fields.count < maxFields {
                let text = String(validating: value, as: UTF8.self) ?? Charset.latin(value)
                headers.fields.append((name, text.trimmingBlanks(newlines: false)))
            }
            have = false; value = []
        }
        var i = range.lowerBound
        while i < range.upperBound {
            var end = i
            while end < range.upperBound, bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > i, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let first = bytes[i]
            if i < lineEnd, first == 0x20 || first == 0x09 {
                if have { value.append(0x20); value += bytes[i..<lineEnd].drop { $0 == 0x20 || $0 == 0x09 } }
            } else if let colon = bytes[i..<lineEnd].firstIndex(of: UInt8(ascii: ":")),
                      colon > i, bytes[i..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
                finish()
                name = String(decoding: bytes[i..<colon], as: UTF8.self)
                value = Array(bytes[(colon + 1)..<lineEnd])
                have = true
            } else {
                // Not a header line (an mbox "From " line, garbage): skipped.
                finish()
            }
            i = end + 1
        }
        finish()
        return headers
    }
}

/// A header value with parameters: `text/plain; charset="utf-8"`. Parameter names are
/// lower-cased; RFC 2231 continuations and charsets (`name*0*=utf-8''…`) are joined
/// and decoded.
public struct HeaderValue: Sendable {
    public var value: String
    public var parameters: [String: String]

    public init(_ raw: String) {
        var parts: [String] = []
        var current = "", quoted = false, escaped = false
        for ch in raw {
            if escaped { current.append(ch); escaped = false; continue }
            if quoted && ch == "\\" { escaped = true; continue }
            if ch == "\"" { quoted.toggle(); continue }
            if ch == ";" && !quoted { parts.append(current); current = ""; continue }
            current.append(ch)
        }
        parts.append(current)
        value = parts[0].trimmingBlanks(newlines: false).lowercased()
        var simple: [String: String] = [:]
        var continued: [String: [(Int, String, Bool)]] = [:]
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { continue }
            var key = part[..<eq].trimmingBlanks(newlines: false).lowercased()
            let val = part[part.index(after: eq)...].trimmingBlanks(newlines: false)
            var extended = false
            if key.hasSuffix("*") { extended = true; key.removeLast() }
            if let star = key.firstIndex(of: "*"), let n = Int(key[key.index(after: star)...]) {
                continued[String(key[..<star]), default: []].append((n, val, extended))
            } else if extended {
                simple[key] = Self.decode2231(val, first: true).text
            } else if simple[key] == nil {
                simple[key] = val
            }
        }
        for (key, pieces) in continued where simple[key] == nil {
            var charset: String?
            var bytes: [UInt8] = []
            for (i, (_, text, extended)) in pieces.sorted(by: { $0.0 < $1.0 }).enumerated() {
                if extended {
                    let d = Self.decode2231Bytes(text, first: i == 0)
                    if i == 0 { charset = d.charset }
                    bytes += d.bytes
                } else {
                    bytes += Array(text.utf8)
                }
            }
            simple[key] = Charset.decode(bytes, charset: charset)
        }
        parameters = simple.mapValues { MailText.clean(TransferEncoding.decodeHeader($0)) }
    }

    static func decode2231(_ text: String, first: Bool) -> (text: String, charset: String?) {
        let d = decode2231Bytes(text, first: first)
        return (Charset.decode(d.bytes, charset: d.charset), d.charset)
    }

    static func decode2231Bytes(_ text: String, first: Bool) -> (bytes: [UInt8], charset: String?) {
        var body = Substring(text)
        var charset: String?
        if first {
            let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
            if pieces.count == 3 { charset = String(pieces[0]); body = pieces[2] }
        }
        var out: [UInt8] = []
        let b = Array(body.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(v); i += 3
            } else { out.append(b[i]); i += 1 }
        }
        return (out, charset)
    }
}

/// A mailbox: `Ann Lee <ann@example.com>`, `ann@example.com (Ann Lee)`, encoded words in the name.
public struct MailAddress: Equatable, Sendable {
    public var name: String?
    public var address: String

    public init(name: String?, address: String) { self.name = name; self.address = address }

    /// The first mailbox of an address header; nil when there is no address in it.
    public static func parse(_ raw: String) -> MailAddress? {
        let value = raw.trimmingBlanks(newlines: false)
        if let lt = value.lastIndex(of: "<"), let gt = value[lt...].firstIndex(of: ">") {
            let address = value[value.index(after: lt)..<gt].trimmingBlanks(newlines: false)
            guard isAddress(address) else { return nil }
            var name = value[..<lt].trimmingBlanks(newlines: false)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"") }
            let decoded = MailText.clean(TransferEncoding.decodeHeader(name)).trimmingBlanks(newlines: false)
            return MailAddress(name: decoded.isEmpty ? nil : decoded, address: address.lowercased())
        }
        // addr-spec, perhaps with a comment: ann@example.com (Ann Lee)
        var address = value, name: String?
        if let open = value.firstIndex(of: "("), let close = value.lastIndex(of: ")"), open < close {
            name = MailText.clean(TransferEncoding.decodeHeader(String(value[value.index(after: open)..<close])))
            address = value[..<open].trimmingBlanks(newlines: false)
        }
        if let comma = address.firstIndex(of: ",") { address = String(address[..<comma]) }
        address = address.trimmingBlanks(newlines: false)
        guard isAddress(address) else { return nil }
        return MailAddress(name: name?.isEmpty == true ? nil : name, address: address.lowercased())
    }

    static func isAddress(_ s: String) -> Bool {
        guard s.count <= 320, let at = s.lastIndex(of: "@"), at != s.startIndex, s.index(after: at) != s.endIndex else { return false }
        return s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "<" && $0 != ">" && $0 != "," && $0.value != 0x7F }
    }

    /// `Ann Lee <ann@example.com>` for display.
    public var display: String { name.map { "\($0) <\(address)>" } ?? address }

    /// The local part, lower-cased.
    public var localPart: String { String(address[..<(address.lastIndex(of: "@") ?? address.endIndex)]) }
}

/// Message ids in a header: `<a@b> <c@d>` → ["a@b", "c@d"].
public enum MessageIds {
    public static func parse(_ raw: String?) -> [String] {
        guard let raw else { return [] }
        var ids: [String] = []
        var rest = Substring(raw)
        while let lt = rest.firstIndex(of: "<"), let gt = rest[lt...].firstIndex(of: ">") {
            let id = rest[rest.index(after: lt)..<gt].trimmingBlanks(newlines: false)
            if !id.isEmpty, id.count <= 998, !id.contains(" ") { ids.append(id) }
            rest = rest[rest.index(after: gt)...]
            if ids.count >= 100 { break }
        }
        if ids.isEmpty {
            let bare = raw.trimmingBlanks(newlines: false)
            if !bare.isEmpty, !bare.contains(" "), bare.contains("@"), bare.count <= 998 { ids.append(bare) }
        }
        return ids
    }
}
