import Foundation

/// Text from mail made safe and readable: control characters removed (an escape
/// sequence in a subject is shown as text, never reaches a terminal), HTML turned
/// into lines, and quoted earlier replies told apart from what is new.
public enum MailText {
    /// Removes C0/C1 control characters except newline and tab; CRLF becomes LF.
    public static func clean(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for u in s.unicodeScalars {
            if u == "\r" { out.append("\n"); previousCR = true; continue }
            defer { previousCR = false }
            if u == "\n" { if !previousCR { out.append(u) }; continue }
            if u == "\t" { out.append(u); continue }
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) { continue }
            // Bidirectional overrides and isolates: they would reorder what is shown.
            if (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value) { continue }
            out.append(u)
        }
        return String(out)
    }

    /// Readable text from HTML: tags dropped (scripts and styles with their content),
    /// blocks and `<br>` as line breaks, entities decoded, blanks and empty lines collapsed.
    public static func fromHTML(_ html: String) -> String {
        var out = ""
        var i = html.startIndex
        var skipUntil: String?
        while i < html.endIndex {
            let ch = html[i]
            if ch == "<" {
                guard let close = html[i...].firstIndex(of: ">") else { break }
                let tag = html[html.index(after: i)..<close].lowercased()
                let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\t" || $0 == "\n" }).first.map(String.init) ?? ""
                let closing = tag.hasPrefix("/")
                let bare = closing ? String(tag.dropFirst().split(separator: " ").first ?? "") : name
                if let until = skipUntil {
                    if closing && bare == until { skipUntil = nil }
                } else if !closing && ["script", "style", "head", "title"].contains(name) {
                    skipUntil = name
                } else if ["br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr"].contains(bare) {
                    if !closing && bare == "li" { out += "\n• " } else { out += "\n" }
                } else if bare == "td" || bare == "th" {
                    out += " "
                }
                i = html.index(after: close)
                continue
            }
            if skipUntil == nil {
                if ch == "&", let semi = html[i...].prefix(12).firstIndex(of: ";") {
                    let entity = String(html[html.index(after: i)..<semi])
                    if let decoded = Self.entity(entity) {
                        out += decoded == "\u{00A0}" ? " " : decoded
                        i = html.index(after: semi); continue
                    }
                }
                out.append(ch == "\n" || ch == "\r\n" || ch == "\r" || ch == "\t" || ch == "\u{00A0}" ? " " : ch)
            }
            i = html.index(after: i)
        }
        // Collapse blanks within lines and runs of empty lines.
        var lines: [String] = []
        for raw in out.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            if line.isEmpty { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    static func entity(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39": return "'"
        case "nbsp": return " "
        case "mdash": return "—"
        case "ndash": return "–"
        case "hellip": return "…"
        case "euro": return "€"
        case "copy": return "©"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let v = value, let u = Unicode.Scalar(v), v >= 0x20 else { return nil }
            return String(u)
        }
    }

    /// Splits a reply into what is new and the earlier mail it quotes: `>` lines, the
    /// "On … wrote:" line before them, and everything from an "Original Message" or
    /// Outlook separator on. Returns the new text and how many lines were folded away.
    public static func foldQuotes(_ text: String) -> (fresh: String, folded: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var keep: [String] = []
        var folded = 0
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingBlanks(newlines: false)
            if isSeparator(trimmed) {
                folded += lines.count - i
                break
            }
            if trimmed.hasPrefix(">") {
                folded += 1; i += 1; continue
            }
            if isAttribution(trimmed), nextQuoted(lines, after: i) {
                folded += 1; i += 1; continue
            }
            keep.append(line)
            i += 1
        }
        while keep.last?.trimmingBlanks(newlines: false).isEmpty == true { keep.removeLast() }
        while keep.first?.trimmingBlanks(newlines: false).isEmpty == true { keep.removeFirst() }
        return (keep.joined(separator: "\n"), folded)
    }

    private static func isSeparator(_ s: String) -> Bool {
        let lower = s.lowercased()
        return lower.hasPrefix("-----original message-----") || lower.hasPrefix("----- original message -----")
            || (s.count >= 20 && s.allSatisfy { $0 == "_" })
            || lower.hasPrefix("-------- forwarded message") || lower == "-----ursprüngliche nachricht-----"
    }

    private static func isAttribution(_ s: String) -> Bool {
        let lower = s.lowercased()
        return (lower.hasPrefix("on ") && lower.hasSuffix("wrote:")) || lower.hasSuffix("a écrit :") || lower.hasSuffix("schrieb:")
            || lower.hasSuffix("escribió:") || lower.hasSuffix("wrote:")
    }

    private static func nextQuoted(_ lines: [String], after i: Int) -> Bool {
        var j = i + 1
        while j < lines.count, lines[j].trimmingBlanks(newlines: false).isEmpty { j += 1 }
        return j >= lines.count || lines[j].trimmingBlanks(newlines: false).hasPrefix(">")
    }
}
