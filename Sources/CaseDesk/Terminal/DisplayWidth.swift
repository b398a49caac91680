import Foundation

// Display widths are computed from our own tables rather than libc wcwidth so
// that layout (and golden screens) do not depend on the process locale.

/// Terminal cells taken by one grapheme cluster (an extended grapheme cluster,
/// Swift's `Character`): the sum of its pieces (see `terminalPieces`), so 0 for
/// a control, 1 for "a" or "é", 2 for 李 or 👍, 2 for "नी" (न plus the vowel
/// sign ी, which terminals draw in a cell of its own), 4 for 👍🏽.
/// Tab/newline count 1 because `Screen.put` draws them as a space; other
/// control characters count 0 and are dropped.
public func displayWidth(of c: Character) -> Int {
    // Fast path: printable ASCII and Latin-1 letters are one cell (most of any screen).
    if let ascii = c.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : ((c == "\t" || c == "\n" || c == "\r" || c == "\r\n") ? 1 : 0) }
    let scalars = c.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) {
        return (c == "\t" || c == "\n" || c == "\r" || c == "\r\n") ? 1 : 0
    }
    if scalars.count == 1 { return scalarWidth(first) }
    var total = 0, last = 0
    for s in scalars {
        if s.value == 0xFE0F, last == 1 { total += 1; last = 2; continue }   // ❤️: shown as an emoji, two cells
        let w = isZeroWidth(s) ? 0 : scalarWidth(s)
        if w > 0 { last = w }
        total += w
    }
    return total
}

/// Cells of one scalar on its own, as terminals count them (wcwidth): marks and
/// format characters 0, East Asian wide and emoji-presentation 2, a regional
/// indicator (half a flag) 1, the rest 1.
func scalarWidth(_ s: Unicode.Scalar) -> Int {
    let v = s.value
    if v < 0x300 { return 1 }
    if isZeroWidth(s) { return 0 }
    if (0x1F1E6...0x1F1FF).contains(v) { return 1 }
    if isWide(v) { return 2 }
    if v >= 0x2000, s.properties.isEmojiPresentation { return 2 }
    return 1
}

/// What a terminal draws for one grapheme cluster, cell by cell: each piece is a
/// spacing scalar with the zero-width marks that follow it. Terminals (and curses)
/// give every spacing scalar its own cells, so a cluster is drawn as its pieces
/// side by side: नी → न|ी, 👍🏽 → 👍|🏽, 🇬🇧 → 🇬|🇧 (terminals join the pair into a
/// flag in those two cells). A zero-width joiner is left out: terminals disagree
/// on whether it merges its neighbours, and a row whose cells do not match the
/// terminal's would shift everything after it; 👩🏾‍💻 is drawn as 👩|🏾|💻.
/// A leading mark with no base comes back as a piece of width 0.
func terminalPieces(of c: Character) -> [(text: String, width: Int)] {
    var pieces: [(text: String, width: Int)] = []
    for s in c.unicodeScalars {
        if s.value == 0x200D { continue }
        if isZeroWidth(s) || pieces.isEmpty && scalarWidth(s) == 0 {
            if pieces.isEmpty { pieces.append(("", 0)) }
            pieces[pieces.count - 1].text.unicodeScalars.append(s)
            // VS16 asks for emoji presentation: two cells even where the base is narrow.
            if s.value == 0xFE0F, pieces[pieces.count - 1].width == 1 { pieces[pieces.count - 1].width = 2 }
            continue
        }
        pieces.append((String(s), scalarWidth(s)))
    }
    return pieces
}

/// Terminal cells taken by a string.
public func displayWidth(of s: String) -> Int {
    // Fast path: all printable ASCII is one cell per byte.
    if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s.utf8.count }
    var w = 0
    for c in s { w += displayWidth(of: c) }
    return w
}

/// Zero-width scalars: combining marks, format characters (ZWJ, ZWSP, bidi
/// controls, variation selectors) and Hangul medial/final jamo.
func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
    // No combining or format characters below U+0300 but the soft hyphen (which shows).
    if s.value < 0x300 { return false }
    switch s.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return s.value != 0x00AD // soft hyphen shows as 1
    default: break
    }
    switch s.value {
    case 0x1160...0x11FF, 0xD7B0...0xD7FF, 0xFE00...0xFE0F, 0xE0100...0xE01EF: return true
    default: return false
    }
}

/// East Asian Wide / Fullwidth (Unicode 15, abridged to ranges that matter).
/// Emoji with default emoji presentation are handled via scalar properties.
func isWide(_ v: UInt32) -> Bool {
    if v < 0x1100 { return false }
    for r in wideRanges {
        if v < r.lowerBound { return false }   // table is sorted
        if v <= r.upperBound { return true }
    }
    return false
}

private let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F,   // Hangul Jamo initials
    0x2329...0x232A,
    0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x2FF0...0x2FFF,
    0x3000...0x303E,   // ideographic space, CJK punctuation
    0x3041...0x3096, 0x3099...0x30FF, // Hiragana, Katakana
    0x3105...0x312F, 0x3131...0x318E, 0x3190...0x31E3, 0x31EF...0x321E,
    0x3220...0x3247, 0x3250...0x4DBF, // enclosed CJK, compat, Ext A
    0x4E00...0xA48C, 0xA490...0xA4C6, // CJK Unified, Yi
    0xA960...0xA97C,   // Hangul Jamo Ext-A
    0xAC00...0xD7A3,   // Hangul syllables
    0xF900...0xFAFF,   // CJK compatibility ideographs
    0xFE10...0xFE19, 0xFE30...0xFE52, 0xFE54...0xFE66, 0xFE68...0xFE6B,
    0xFF01...0xFF60, 0xFFE0...0xFFE6, // fullwidth forms
    0x16FE0...0x16FE4, 0x16FF0...0x16FF1,
    0x17000...0x187F7, 0x18800...0x18CD5, 0x18D00...0x18D08, // Tangut
    0x1AFF0...0x1B2FB, // Kana supplement/extensions, Nushu
    0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
    0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
    0x1F260...0x1F265,
    0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393,
    0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4,
    0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D,
    0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596,
    0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC,
    0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC,
    0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0,
    0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
    0x1FA70...0x1FAFF,
    0x20000...0x2FFFD, 0x30000...0x3FFFD, // CJK Ext B.. and beyond
]

/// Cut `s` to at most `width` cells, ending with `ellipsis` when something was
/// cut. A wide char that would straddle the limit is dropped (never half-drawn).
public func truncate(_ s: String, toWidth width: Int, ellipsis: String = "…") -> String {
    guard width > 0 else { return "" }
    if displayWidth(of: s) <= width { return s }
    let ew = displayWidth(of: ellipsis)
    let budget = ew <= width ? width - ew : width
    var out = ""
    var used = 0
    for c in s {
        let w = displayWidth(of: c)
        if used + w > budget { break }
        out.append(c)
        used += w
    }
    return ew <= width ? out + ellipsis : out
}

public enum TextAlignment: Sendable { case left, right, center }

/// Truncate (with ellipsis) or pad with spaces to exactly `width` cells.
public func pad(_ s: String, toWidth width: Int, alignment: TextAlignment = .left,
                ellipsis: String = "…") -> String {
    guard width > 0 else { return "" }
    let t = truncate(s, toWidth: width, ellipsis: ellipsis)
    let gap = width - displayWidth(of: t)
    guard gap > 0 else { return t }
    switch alignment {
    case .left: return t + String(repeating: " ", count: gap)
    case .right: return String(repeating: " ", count: gap) + t
    case .center:
        let l = gap / 2
        return String(repeating: " ", count: l) + t + String(repeating: " ", count: gap - l)
    }
}

/// ASCII rendering for terminals whose locale is not UTF-8: transliterate
/// (Núñez→Nunez, 李娜→li na, straße→strasse), map common typography and box
/// drawing, and replace anything left (emoji, …) with one "?" per grapheme.
public func asciiFallback(_ s: String) -> String {
    if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
    if let hit = fallbackCache.get(s) { return hit }
    let r = transliterateToASCII(s)
    fallbackCache.set(s, r)
    return r
}

private func transliterateToASCII(_ s: String) -> String {
    var mapped = ""
    for c in s { if let m = asciiPunctuation[c] { mapped += m } else { mapped.append(c) } }
    // Whole-string transform so Han runs get spaced syllables ("li na").
    let t = mapped.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false)
        ?? mapped.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
    var out = ""
    for c in t { out.append(c.isASCII ? c : "?") }
    return out
}

private let asciiPunctuation: [Character: String] = [
    "‘": "'", "’": "'", "‚": ",", "“": "\"", "”": "\"", "„": "\"",
    "–": "-", "—": "-", "…": "...", "•": "*", "·": ".", "\u{00A0}": " ",
    "─": "-", "━": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
    "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "▲": "^", "▼": "v",
    "◀": "<", "▶": ">", "←": "<-", "→": "->", "↑": "^", "↓": "v", "✓": "v", "✔": "v",
    "✗": "x", "✘": "x", "★": "*", "☆": "*", "€": "EUR", "£": "GBP", "¥": "JPY",
]

/// ICU transliteration costs ~0.5 ms a call and screens redraw the same
/// strings every tick, so remember recent results.
private final class FallbackCache: @unchecked Sendable {
    private let lock = NSLock()
    private var map: [String: String] = [:]
    func get(_ k: String) -> String? { lock.withLock { map[k] } }
    func set(_ k: String, _ v: String) {
        lock.withLock {
            if map.count >= 4096 { map.removeAll(keepingCapacity: true) }
            map[k] = v
        }
    }
}
private let fallbackCache = FallbackCache()
