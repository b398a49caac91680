import Foundation

/// Text as the search index sees it, one home for both sides: what is written into the
/// FTS5 tables and how a person's typed words become an FTS5 query.
///
/// The tokenizer (`unicode61 remove_diacritics 2`) folds case and accents for Latin
/// scripts (`muller` finds `Müller`). It keeps a run of Chinese or Japanese characters
/// as one token, so those characters are written one per token (`李 娜`) and a query
/// for `李娜` becomes the phrase `"李 娜"`: a two-character name finds its cases.
public enum SearchText {
    /// Han, kana, hangul: scripts written without spaces between words.
    static func isIdeographic(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF,
             0xF900...0xFAFF, 0x20000...0x2FA1F: true
        default: false
        }
    }

    /// What goes into the index: ideographs spaced one per token, control characters gone.
    public static func indexable(_ text: String) -> String {
        // Most text has neither ideographs nor control characters (besides line breaks): as is.
        if !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" || $0.value >= 0x3040 || (0x7F...0x9F).contains($0.value) }) {
            return text
        }
        var out = String.UnicodeScalarView()
        var lastWasIdeograph = false
        for s in text.unicodeScalars {
            if isIdeographic(s) {
                if !lastWasIdeograph, let last = out.last, last != " " { out.append(" ") }
                out.append(s); out.append(" ")
                lastWasIdeograph = true
            } else {
                out.append(s.value < 0x20 || (0x7F...0x9F).contains(s.value) ? " " : s)
                lastWasIdeograph = false
            }
        }
        return String(out)
    }

    /// Undoes the spacing of `indexable` for showing a stored snippet (match marks, the
    /// control characters U+0002 and U+0003, are looked through).
    public static func display(_ indexed: String) -> String {
        let scalars = Array(indexed.unicodeScalars)
        func neighbour(_ i: Int, _ step: Int) -> Unicode.Scalar? {
            var j = i + step
            while scalars.indices.contains(j) {
                if scalars[j].value > 3 { return scalars[j] }
                j += step
            }
            return nil
        }
        var out = String.UnicodeScalarView()
        for (i, s) in scalars.enumerated() {
            if s == " ", let before = neighbour(i, -1), let after = neighbour(i, 1), isIdeographic(before), isIdeographic(after) { continue }
            out.append(s)
        }
        return String(out).replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
    }

    /// The words of a typed text: runs of letters and digits; every ideograph its own word.
    public static func words(_ text: String) -> [[String]] {
        var words: [[String]] = []
        var current = ""
        var cjk: [String] = []
        func flush() {
            if !current.isEmpty { words.append([current]); current = "" }
            if !cjk.isEmpty { words.append(cjk); cjk = [] }
        }
        for s in text.unicodeScalars {
            if isIdeographic(s) {
                if !current.isEmpty { words.append([current]); current = "" }
                cjk.append(String(s))
            } else if s.properties.isAlphabetic || s.properties.numericType != nil || s.properties.generalCategory == .nonspacingMark {
                if !cjk.isEmpty { words.append(cjk); cjk = [] }
                current.unicodeScalars.append(s)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// An FTS5 query matching every word (ideograph runs as phrases); nil when there is no
    /// word at all. Every word is a quoted string, so no typed text is FTS5 syntax.
    /// `prefix`: the last word may be unfinished (as you type).
    public static func matchQuery(_ text: String, prefix: Bool = false) -> String? {
        let phrases = phrases(text, prefix: prefix)
        return phrases.isEmpty ? nil : phrases.joined(separator: " AND ")
    }

    /// The phrases of `matchQuery`, in its order: each is an FTS5 query of its own.
    static func phrases(_ text: String, prefix: Bool = false) -> [String] {
        let words = words(text)
        return words.enumerated().map { i, parts in
            let phrase = "\"" + parts.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return prefix && i == words.count - 1 ? phrase + " *" : phrase
        }
    }
}

/// Phone numbers compared on their digits, whatever the formatting: `+44 20 7946 0018`
/// and `020 7946 0018` are one number. Two numbers are the same when their last nine
/// digits agree (the country code and trunk zero differ between ways of writing one
/// number; nine digits tell numbers apart within a country).
public enum PhoneNumber {
    public static let significantDigits = 9

    public static func digits(_ text: String) -> String { text.filter { $0.isASCII && $0.isNumber } }

    /// The part two ways of writing a number share; nil for text with too few digits.
    public static func key(_ text: String) -> String? {
        let d = digits(text)
        guard d.count >= 6 else { return nil }
        return String(d.suffix(significantDigits))
    }

    /// Tokens the customer index holds for a number, so a typed prefix finds it written
    /// with or without the country code or trunk zero.
    static func tokens(_ text: String) -> [String] {
        let d = digits(text)
        guard d.count >= 4 else { return [] }
        var out = [d]
        let noZeros = String(d.drop { $0 == "0" })
        if noZeros != d, !noZeros.isEmpty { out.append(noZeros) }
        // A country code of one to three digits, dropped.
        if text.trimmingCharacters(in: .whitespaces).hasPrefix("+") || d.hasPrefix("00") {
            for n in 1...3 where noZeros.count > n + 4 { out.append(String(noZeros.dropFirst(n))) }
        }
        if let k = key(text), !out.contains(k) { out.append(k) }
        return out
    }
}
