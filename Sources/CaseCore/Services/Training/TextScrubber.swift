import Foundation

/// Replaces identifying details inside free text with pseudonyms, consistently: every
/// person has one pseudonym, chosen once, so a case and its notes still read as one story.
///
/// Names are matched word by word on a folded form (case- and accent-insensitive, any
/// script), so `maría núñez`, `Maria Nunez` and `MARÍA` all match María Núñez while `Li`
/// never matches inside `Lisbon`. Scripts written without spaces between words (Chinese,
/// Japanese, Korean, Thai) are matched as substrings instead. Emails, and numbers that look
/// like phone, account or card numbers (in any script's digits), are replaced as well.
struct TextScrubber {
    struct Pattern {
        var words: [String]          // folded
        var replacement: String
        var owner: Int64?            // customer id; nil for staff
        var kind: String             // what the summary counts: "customer name", "agent name"…
    }

    private var byFirstWord: [String: [Pattern]] = [:]
    private var unspaced: [(token: String, replacement: String, owner: Int64?, kind: String)] = []
    private var literals: [(token: String, replacement: String, kind: String)] = []
    private var emails: [String: String] = [:]          // lower-cased
    private var phones: [String: String] = [:]          // ASCII digits only
    private var accounts: [String: String] = [:]        // upper-cased
    private var foldCache: [Substring: String] = [:]
    /// Replacements made, by kind, for the summary.
    var counts: [String: Int] = [:]

    private static let emailRegex = try! NSRegularExpression(pattern: #"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}"#)
    private static let accountRegex = try! NSRegularExpression(pattern: #"\b\p{L}{2,4}-?\d{4,}\b"#)
    private static let numberRegex = try! NSRegularExpression(pattern: #"\+?\d[\d \-().]{4,}\d"#)
    private static let dateRegex = try! NSRegularExpression(pattern: #"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$"#)

    // MARK: building

    /// A person's whole name and each of its parts (`nameParts`), each with its replacement.
    mutating func addName(_ name: String, full: String, parts: [String], owner: Int64?, kind: String) {
        addToken(name, replacement: full, owner: owner, kind: kind, allowSingle: true)
        for (i, (part, replacement)) in zip(Self.nameParts(name), parts).enumerated() {
            // One unspaced character first in a name is a family name (李, 김): too common to blank
            // everywhere; a one-character given name (娜) is replaced.
            addToken(part, replacement: replacement, owner: owner, kind: kind, allowSingle: i > 0)
        }
    }

    /// A name as the scrubber sees it: the words of a spaced script, or the pieces of an
    /// unspaced one (a compact CJK name splits into family name and given name).
    static func nameParts(_ name: String) -> [String] {
        let words = name.split(whereSeparator: { $0.isWhitespace }).map(String.init).filter { $0.contains { $0.isLetter } }
        if words.count == 1, let w = words.first, w.unicodeScalars.contains(where: isUnspaced), (2...4).contains(w.count) {
            return [String(w.prefix(1)), String(w.dropFirst())]
        }
        return words
    }

    private mutating func addToken(_ token: String, replacement: String, owner: Int64?, kind: String, allowSingle: Bool) {
        let token = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { return }
        if token.unicodeScalars.contains(where: Self.isUnspaced) {
            if token.count == 1 && !allowSingle { return }
            unspaced.append((token, replacement, owner, kind))
            if token.contains(" ") { unspaced.append((token.replacingOccurrences(of: " ", with: ""), replacement, owner, kind)) }
            return
        }
        let words = words(in: token).map { fold($0.text) }
        guard let first = words.first else { return }
        if words.count == 1 && first.count < 2 { return }
        byFirstWord[first, default: []].append(Pattern(words: words, replacement: replacement, owner: owner, kind: kind))
    }

    mutating func addEmail(_ email: String, replacement: String) { emails[email.lowercased()] = replacement }
    mutating func addPhone(_ phone: String, replacement: String) {
        let d = Self.digits(phone)
        if d.count >= 6 { phones[d] = replacement }
    }
    mutating func addAccount(_ account: String, replacement: String) { accounts[account.uppercased()] = replacement }
    /// A literal string (an address) replaced wherever it appears, case-insensitively.
    mutating func addLiteral(_ text: String, replacement: String, kind: String) {
        guard text.count >= 6 else { return }
        literals.append((text, replacement, kind))
    }

    /// Sorts once everything is added: longer tokens first, so a full name beats its parts.
    mutating func prepare() {
        unspaced.sort { $0.token.count > $1.token.count }
        literals.sort { $0.token.count > $1.token.count }
        for key in byFirstWord.keys {
            byFirstWord[key]!.sort { a, b in
                if a.words.count != b.words.count { return a.words.count > b.words.count }
                return (a.owner != nil ? 0 : 1) < (b.owner != nil ? 0 : 1)
            }
        }
    }

    // MARK: scrubbing

    /// The text with every identifying detail replaced. `owner` is the case's customer:
    /// when two people share a name part, the case's own customer wins.
    mutating func scrub(_ text: String, owner: Int64?) -> String {
        guard !text.isEmpty else { return text }
        var held: [String] = []
        var tally: [String: Int] = [:]
        defer { for (k, v) in tally { counts[k, default: 0] += v } }
        var s = text
        // Replacements are parked behind private-use placeholders so no later pass rewrites them.
        func park(_ replacement: String, _ kind: String) -> String {
            tally[kind, default: 0] += 1
            held.append(replacement)
            return String(Character(Unicode.Scalar(0xF0000 + UInt32(held.count - 1))!))
        }
        if s.contains("@") { s = replaceMatches(Self.emailRegex, in: s) { m in
            park(emails[m.lowercased()] ?? "someone@example.invalid", emails[m.lowercased()] != nil ? "email" : "other email")
        } }
        if s.unicodeScalars.filter({ $0.properties.numericType == .decimal }).count >= 4 {
            s = replaceMatches(Self.accountRegex, in: s) { m in
                if let r = accounts[m.uppercased()] { return park(r, "account number") }
                return Self.digits(m).count >= 6 ? park("ACCOUNT-REMOVED", "other number") : m
            }
            s = replaceMatches(Self.numberRegex, in: s) { m in
                let d = Self.digits(m)
                if let r = phones[d] { return park(r, "phone") }
                if (13...19).contains(d.count) { return park("[card number removed]", "other number") }
                if d.count >= 8, Self.dateRegex.firstMatch(in: m, range: NSRange(m.startIndex..., in: m)) == nil {
                    return park("[number removed]", "other number")
                }
                return m
            }
        }
        if !literals.isEmpty {
            let lower = s.lowercased()
            for t in literals where lower.contains(t.token.lowercased()) {
                s = s.replacingOccurrences(of: t.token, with: park(t.replacement, t.kind), options: [.caseInsensitive])
            }
        }
        // Most text has no CJK at all: only then is the substring pass worth its cost.
        if !unspaced.isEmpty, s.unicodeScalars.contains(where: Self.isUnspaced) {
            // Own customer's tokens first, then everyone's, longest first.
            let ordered = unspaced.filter { $0.owner == owner && owner != nil } + unspaced
            for t in ordered where s.contains(t.token) {
                s = s.replacingOccurrences(of: t.token, with: park(t.replacement, t.kind))
            }
        }
        s = replaceWords(s, owner: owner, park: park)
        guard !held.isEmpty else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar.value >= 0xF0000, Int(scalar.value - 0xF0000) < held.count { out += held[Int(scalar.value - 0xF0000)] }
            else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    private mutating func replaceWords(_ s: String, owner: Int64?, park: (String, String) -> String) -> String {
        let ws = words(in: s)
        guard !ws.isEmpty else { return s }
        let folded = ws.map { fold($0.text) }
        var out = ""
        var cursor = s.startIndex
        var i = 0
        while i < ws.count {
            var matched: Pattern?
            if var candidates = byFirstWord[folded[i]] {
                if let owner { candidates.sort { ($0.owner == owner ? 0 : 1, -$0.words.count) < ($1.owner == owner ? 0 : 1, -$1.words.count) } }
                for p in candidates where matchesAt(i, p.words, ws, folded, in: s) { matched = p; break }
            }
            if let p = matched {
                let end = ws[i + p.words.count - 1].range.upperBound
                out += s[cursor..<ws[i].range.lowerBound]
                out += park(p.replacement, p.kind)
                cursor = end
                i += p.words.count
            } else {
                i += 1
            }
        }
        out += s[cursor...]
        return out
    }

    /// The pattern's words follow one another, separated by at most a few non-letters on one line.
    private func matchesAt(_ i: Int, _ pattern: [String], _ ws: [(text: Substring, range: Range<String.Index>)], _ folded: [String], in s: String) -> Bool {
        guard i + pattern.count <= ws.count else { return false }
        for k in 0..<pattern.count {
            guard folded[i + k] == pattern[k] else { return false }
            if k > 0 {
                let gap = s[ws[i + k - 1].range.upperBound..<ws[i + k].range.lowerBound]
                if gap.count > 3 || gap.contains(where: \.isNewline) { return false }
            }
        }
        return true
    }

    /// Runs of letters, digits and combining marks.
    private func words(in s: String) -> [(text: Substring, range: Range<String.Index>)] {
        var out: [(Substring, Range<String.Index>)] = []
        var start: String.Index?
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            let isWord = (c.isLetter || c.isNumber || c.unicodeScalars.first?.properties.generalCategory == .spacingMark
                          || c.unicodeScalars.first?.properties.generalCategory == .nonspacingMark)
                && !(c.unicodeScalars.first.map { $0.value >= 0xF0000 } ?? false)
            if isWord { if start == nil { start = i } } else if let st = start { out.append((s[st..<i], st..<i)); start = nil }
            i = s.index(after: i)
        }
        if let st = start { out.append((s[st...], st..<s.endIndex)) }
        return out
    }

    private mutating func fold(_ w: Substring) -> String {
        if let f = foldCache[w] { return f }
        let f = String(w).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        foldCache[w] = f
        return f
    }

    private func replaceMatches(_ regex: NSRegularExpression, in s: String, _ transform: (String) -> String) -> String {
        let matches = regex.matches(in: s, range: NSRange(s.startIndex..., in: s))
        guard !matches.isEmpty else { return s }
        var out = ""
        var cursor = s.startIndex
        for m in matches {
            guard let r = Range(m.range, in: s) else { continue }
            out += s[cursor..<r.lowerBound]
            out += transform(String(s[r]))
            cursor = r.upperBound
        }
        out += s[cursor...]
        return out
    }

    /// The number's digits as ASCII, whatever script they were written in.
    static func digits(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars where u.properties.numericType == .decimal {
            if let v = u.properties.numericValue { out += String(Int(v)) }
        }
        return out
    }

    /// Scripts written without spaces between words.
    static func isUnspaced(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1100...0x11FF, 0x3040...0x30FF, 0x3130...0x318F, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FFFF: true
        default: false
        }
    }
}
