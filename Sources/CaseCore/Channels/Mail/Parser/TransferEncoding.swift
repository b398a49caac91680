import Foundation

/// Content-Transfer-Encoding and RFC 2047 encoded words. Lenient as mail readers
/// must be: stray characters in base64 are skipped, a broken `=XX` in
/// quoted-printable is kept as written.
public enum TransferEncoding {
    private static let base64Values: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    public static func base64<C: Collection>(_ input: C) -> [UInt8] where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(input.count * 3 / 4 + 3)
        var acc: UInt32 = 0, bits = 0
        for c in input {
            if c == UInt8(ascii: "=") { break }
            let v = base64Values[Int(c)]
            if v == 0xFF { continue }
            acc = (acc << 6) | UInt32(v); bits += 6
            if bits >= 8 { bits -= 8; out.append(UInt8((acc >> UInt32(bits)) & 0xFF)) }
        }
        return out
    }

    public static func base64Encode(_ data: [UInt8], lineLength: Int = 76) -> String {
        let s = Data(data).base64EncodedString()
        guard lineLength > 0, s.count > lineLength else { return s }
        var lines: [Substring] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: lineLength, limitedBy: s.endIndex) ?? s.endIndex
            lines.append(s[i..<j]); i = j
        }
        return lines.joined(separator: "\r\n")
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    /// Quoted-printable body (`header`: RFC 2047 Q, where `_` is a space).
    public static func quotedPrintable<C: Collection>(_ input: C, header: Bool = false) -> [UInt8] where C.Element == UInt8 {
        let a = Array(input)
        var out = [UInt8]()
        out.reserveCapacity(a.count)
        var i = 0
        while i < a.count {
            let c = a[i]
            if c == UInt8(ascii: "=") {
                if i + 2 < a.count, let h = hex(a[i + 1]), let l = hex(a[i + 2]) {
                    out.append(h << 4 | l); i += 3; continue
                }
                // A soft line break: '=' then optional blanks then CRLF or LF.
                var j = i + 1
                while j < a.count, a[j] == 0x20 || a[j] == 0x09 { j += 1 }
                if j < a.count, a[j] == 0x0D { j += 1 }
                if j < a.count, a[j] == 0x0A { i = j + 1; continue }
                if j >= a.count { break }
                out.append(c); i += 1
            } else if header, c == UInt8(ascii: "_") {
                out.append(0x20); i += 1
            } else {
                out.append(c); i += 1
            }
        }
        return out
    }

    /// Encodes UTF-8 text as quoted-printable lines of at most 76 characters, CRLF.
    public static func quotedPrintableEncode(_ text: String) -> String {
        var out = ""
        let hexDigits = Array("0123456789ABCDEF")
        for (n, line) in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if n > 0 { out += "\r\n" }
            var current = ""
            let bytes = Array(line.utf8)
            for (k, b) in bytes.enumerated() {
                let last = k == bytes.count - 1
                var piece: String
                if (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || ((b == 0x20 || b == 0x09) && !last) {
                    piece = String(UnicodeScalar(b))
                } else {
                    piece = "=" + String(hexDigits[Int(b >> 4)]) + String(hexDigits[Int(b & 15)])
                }
                if current.utf8.count + piece.utf8.count > 75 { out += current + "=\r\n"; current = "" }
                current += piece
            }
            out += current
        }
        return out
    }

    /// Decodes RFC 2047 encoded words in an unstructured header value; whitespace
    /// between adjacent encoded words disappears, and adjacent words in one charset are
    /// joined before decoding (a character may be split across two words).
    public static func decodeHeader(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var out = ""
        var pendingBytes: [UInt8] = []
        var pendingCharset: String?
        func flush() {
            if let cs = pendingCharset { out += Charset.decode(pendingBytes, charset: cs) }
            pendingBytes = []; pendingCharset = nil
        }
        let scalars = Array(value.unicodeScalars)
        var i = 0
        var literal = ""
        while i < scalars.count {
            if scalars[i] == "=", i + 1 < scalars.count, scalars[i + 1] == "?", let (word, next) = encodedWord(scalars, at: i) {
                if pendingCharset != nil, literal.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) {
                    // Only blanks between two encoded words: dropped.
                } else {
                    flush()
                    out += literal
                }
                literal = ""
                if pendingCharset != nil, pendingCharset != word.charset { flush() }
                pendingCharset = word.charset
                pendingBytes += word.bytes
                i = next
                continue
            }
            if pendingCharset != nil, !(scalars[i] == " " || scalars[i] == "\t" || scalars[i] == "\r" || scalars[i] == "\n") {
                flush(); out += literal; literal = ""
            }
            literal.unicodeScalars.append(scalars[i])
            i += 1
        }
        flush()
        out += literal
        return out
    }

    private static func encodedWord(_ s: [Unicode.Scalar], at start: Int) -> ((charset: String, bytes: [UInt8]), Int)? {
        // =?charset?X?text?=
        var i = start + 2
        var charset = ""
        while i < s.count, s[i] != "?" { if s[i] == " " || charset.count > 60 { return nil }; charset.unicodeScalars.append(s[i]); i += 1 }
        guard i + 2 < s.count, s[i + 2] == "?" else { return nil }
        let enc = Character(s[i + 1]).lowercased()
        guard enc == "q" || enc == "b" else { return nil }
        i += 3
        var text: [UInt8] = []
        while i + 1 < s.count, !(s[i] == "?" && s[i + 1] == "=") {
            guard s[i].isASCII, s[i] != " " || enc == "b" else { return nil }
            text.append(UInt8(s[i].value)); i += 1
        }
        guard i + 1 < s.count else { return nil }
        // RFC 2231 language suffix: charset*lang.
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
        let bytes = enc == "b" ? base64(text) : quotedPrintable(text, header: true)
        return ((charset.lowercased(), bytes), i + 2)
    }

    /// Encodes a header value for sending: ASCII stays as is, anything else becomes
    /// UTF-8 base64 encoded words of at most 75 characters each.
    public static func encodeHeader(_ value: String) -> String {
        if value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }) { return value }
        var words: [String] = []
        var current: [UInt8] = []
        for ch in value {
            let bytes = Array(String(ch).utf8)
            if current.count + bytes.count > 45 { words.append(current.isEmpty ? "" : word(current)); current = [] }
            current += bytes
        }
        if !current.isEmpty { words.append(word(current)) }
        return words.filter { !$0.isEmpty }.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }
}
