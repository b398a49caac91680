/// Trimming for the channels' hot paths. Foundation's `trimmingCharacters(in:)` goes
/// through NSString and UTF-16 on Linux and was the largest single cost of reading a
/// message; these work on Unicode scalars and copy once.
extension StringProtocol {
    /// Without the leading and trailing scalars `drop` says.
    func trimming(where drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) }) else { return "" }
        return String(self[first..<scalars.index(after: last)])
    }

    /// Without leading and trailing blanks: spaces, tabs and other Unicode spaces, and line
    /// breaks too unless `newlines` is false (Foundation's `.whitespacesAndNewlines` and
    /// `.whitespaces`).
    func trimmingBlanks(newlines: Bool = true) -> String {
        trimming { u in
            switch u.value {
            case 0x20, 0x09: true
            case 0x0A...0x0D, 0x85, 0x2028, 0x2029: newlines
            case 0..<0x80: false
            default: u.properties.generalCategory == .spaceSeparator
            }
        }
    }
}

extension String {
    /// Header names and other ASCII words, compared without regard to case (no Foundation).
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.elementsEqual(other.utf8) { a, b in a == b || (a ^ 0x20 == b && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A) }
    }
}
