import Foundation

extension String {
    /// The text with every control character (C0, DEL, C1: escape sequences, NUL, line
    /// breaks) written as a visible `\u{1B}`-style escape: for one-line messages that echo
    /// what a file or a person typed, so the terminal shows it and never acts on it.
    public var visibleControls: String { visibleControls(keepingLineBreaks: false) }

    /// The same, keeping line feeds and tabs as they are (multi-line text on a terminal).
    public func visibleControls(keepingLineBreaks keep: Bool) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(unicodeScalars.count)
        for u in unicodeScalars {
            if keep, u == "\n" || u == "\t" {
                out.unicodeScalars.append(u)
            } else if u.value < 0x20 || (0x7F...0x9F).contains(u.value) {
                out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
