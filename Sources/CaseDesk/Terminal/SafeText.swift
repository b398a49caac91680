/// Customer text made safe to show on a terminal: the one place that decides what
/// reaches the screen. Every drawing call of the desk, board and console goes
/// through it (`layoutText`), and so does every line the command line prints for
/// a person. Nothing is executed by the terminal; what could be is made visible:
///
/// - C0 controls and DEL become control pictures: NUL → ␀, ESC → ␛, BEL → ␇, DEL → ␡,
///   so an escape sequence (CSI clear screen, OSC window title, DCS) shows as
///   harmless text such as `␛]0;title␇`;
/// - C1 controls (U+0080–U+009F, the 8-bit CSI/OSC/DCS) become U+FFFD;
/// - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are
///   removed, so text cannot reorder what follows it;
/// - line and paragraph separators and, for one line, tabs and line breaks
///   become spaces.
///
/// Invalid UTF-8 never gets this far: decoding a Swift `String` replaces it with U+FFFD.
/// JSON and CSV are data, not text for a person: the encoders escape them (see
/// `jsonString` in the command line) and they do not pass through here.
public enum SafeText {
    /// For one screen line or one table cell: line breaks and tabs become spaces.
    public static func line(_ s: String) -> String { clean(s, keepLayout: false) }

    /// For text printed as several lines: keeps `\n` and `\t`, makes the rest safe.
    public static func block(_ s: String) -> String { clean(s, keepLayout: true) }

    /// True for a scalar that would be executed or reorder the display, not shown.
    public static func isUnsafe(_ v: UInt32) -> Bool {
        v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x2028 || v == 0x2029
    }

    private static func clean(_ s: String, keepLayout: Bool) -> String {
        // Fast path: printable ASCII (most of any screen) is already safe.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s }
        if !s.unicodeScalars.contains(where: { isUnsafe($0.value) && !(keepLayout && ($0 == "\n" || $0 == "\t")) }) { return s }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for u in s.unicodeScalars {
            let v = u.value
            defer { previousCR = v == 0x0D }
            switch v {
            // A line break, whichever way it is spelled (CR LF counts once); a lone
            // CR must not send the cursor back over what was printed.
            case 0x0A: if !previousCR { out.append(keepLayout ? "\n" : " ") }
            case 0x0D, 0x2028, 0x2029: out.append(keepLayout ? "\n" : " ")
            case 0x09: out.append(keepLayout ? u : " ")
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + v)!)
            case 0x7F: out.append("\u{2421}")
            case 0x80...0x9F: out.append("\u{FFFD}")
            case 0x202A...0x202E, 0x2066...0x2069: continue
            default: out.append(u)
            }
        }
        return String(out)
    }
}
