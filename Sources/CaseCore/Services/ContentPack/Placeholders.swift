import Foundation

/// The values a caller gathered for one case, keyed by placeholder name (`customer.first_name`).
public struct PlaceholderValues: Equatable, Sendable {
    public var values: [String: String]

    public init(values: [String: String] = [:]) { self.values = values }

    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// `text` with every placeholder that has a value filled in.
    public func fill(_ text: String) -> String { Placeholders.fill(text, with: values) }
}

/// The `{{name}}` placeholders a standardized response may use.
public enum Placeholders {
    /// Every known name with what it stands for, in the order documentation lists them.
    public static let catalogue: [(name: String, description: String)] = [
        ("customer.first_name", "the customer's first (given) name"),
        ("customer.last_name", "the customer's last (family) name"),
        ("customer.name", "the customer's full name as stored"),
        ("customer.email", "the customer's email address"),
        ("customer.phone", "the customer's phone number"),
        ("customer.account", "the customer's account number"),
        ("agent.name", "the full name of the agent handling the case"),
        ("agent.first_name", "the agent's first name"),
        ("case.id", "the case number, e.g. 1042"),
        ("case.subject", "the case subject line"),
        ("case.call_type", "the case's call type, e.g. billing.dispute"),
        ("case.channel", "the channel the case was born on: phone, email, chat, …"),
        ("case.due", "when the case is due under its SLA, in business-hours local time"),
        ("case.priority", "the case priority, P1 … P4"),
    ]

    /// name -> description.
    public static let known: [String: String] =
        Dictionary(uniqueKeysWithValues: catalogue.map { ($0.name, $0.description) })

    /// One `{{ name }}` occurrence: the name and the range of the whole token in the text.
    public struct Token: Equatable, Sendable {
        public var name: String
        public var range: Range<String.Index>
    }

    /// Every placeholder token in `text`, in order. Spaces inside the braces are allowed.
    public static func tokens(in text: String) -> [Token] {
        var result: [Token] = []
        var searchFrom = text.startIndex
        while let open = text.range(of: "{{", range: searchFrom..<text.endIndex) {
            guard let close = text.range(of: "}}", range: open.upperBound..<text.endIndex) else { break }
            let inner = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if isName(inner) {
                result.append(Token(name: inner, range: open.lowerBound..<close.upperBound))
                searchFrom = close.upperBound
            } else {
                // Not a placeholder (e.g. "{{{"): move one character on so nested braces are still found.
                searchFrom = text.index(after: open.lowerBound)
            }
        }
        return result
    }

    /// The distinct placeholder names in `text`, in order of first appearance.
    public static func names(in text: String) -> [String] {
        var seen = Set<String>()
        return tokens(in: text).map(\.name).filter { seen.insert($0).inserted }
    }

    /// Names used in `text` that are not in `known`.
    public static func unknownNames(in text: String) -> [String] {
        names(in: text).filter { known[$0] == nil }
    }

    /// Replaces each placeholder that has a non-empty value. Anything else stays visible
    /// exactly as written, so an agent sees what is missing before sending. Single pass:
    /// values are never re-expanded.
    public static func fill(_ text: String, with values: [String: String]) -> String {
        let found = tokens(in: text)
        if found.isEmpty { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var cursor = text.startIndex
        for token in found {
            out += text[cursor..<token.range.lowerBound]
            if let value = values[token.name], !value.isEmpty {
                out += value
            } else {
                out += text[token.range]
            }
            cursor = token.range.upperBound
        }
        out += text[cursor...]
        return out
    }

    /// `a.b_c` style: letters, digits, `_`, dots between segments.
    static func isName(_ s: String) -> Bool {
        guard !s.isEmpty, !s.hasPrefix("."), !s.hasSuffix("."), !s.contains("..") else { return false }
        return s.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "."
        }
    }
}
