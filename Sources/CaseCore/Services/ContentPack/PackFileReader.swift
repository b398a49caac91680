import Foundation
import Yams

/// Parses one YAML file into model values, collecting every problem with its line.
struct FileReader {
    let display: String
    var source = ""
    var errors: [PackError] = []
    /// Every call type code calltypes.yaml names, valid or not: scripts check against these.
    var declaredCallTypes = Set<String>()
    /// calltypes.yaml's `retention: resolved_after:`, when it parses.
    var retention: String?
    /// calltypes.yaml's `service:` settings (defaults where it names none).
    var settings = ServiceSettings()
    private var lines: [Substring] = []

    init(display: String) { self.display = display }

    var sortedErrors: [PackError] {
        errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }

    mutating func error(_ line: Int, _ message: String) {
        errors.append(PackError(file: display, line: line, message: message))
    }

    func line(_ node: Node?) -> Int { node?.mark?.line ?? 0 }

    /// The composed document, or nil after recording why there is none.
    mutating func open(_ url: URL) -> Node? {
        guard FileManager.default.fileExists(atPath: url.path) else {
            error(0, "file not found"); return nil
        }
        guard let data = try? Data(contentsOf: url) else { error(0, "cannot read the file"); return nil }
        guard let text = String(data: data, encoding: .utf8) else { error(0, "not UTF-8 text"); return nil }
        source = text
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        do {
            guard let root = try Yams.compose(yaml: text) else { error(1, "the file is empty"); return nil }
            return root
        } catch let e as YamlError {
            let (line, message) = Self.describe(e, text: text)
            error(line, message)
        } catch {
            self.error(1, "YAML error: \(error)")
        }
        return nil
    }

    static func describe(_ e: YamlError, text: String) -> (Int, String) {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return (mark.line, message)
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { o in yaml.utf8.prefix(o).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 } } ?? 1
            return (line, "unreadable YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return (context.mark.line, "duplicate key \(keys)")
        default:
            return (1, "YAML error: \(e)")
        }
    }

    // MARK: Generic field access

    struct Fields {
        let line: Int
        let what: String
        var entries: [String: (keyLine: Int, value: Node)] = [:]
        subscript(key: String) -> Node? { entries[key]?.value }
        /// The line of `key:` itself, which reads better than where a list value starts.
        func keyLine(_ key: String) -> Int { entries[key]?.keyLine ?? line }
    }

    /// A mapping's entries; unknown keys are reported so typos (`respones:`) do not pass silently.
    mutating func fields(_ node: Node, _ what: String, allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(line(node), "\(what) must be a mapping of 'key: value' lines"); return nil
        }
        var f = Fields(line: line(node), what: what)
        for (k, v) in mapping {
            guard case .scalar(let key) = k else { error(line(k), "\(what) has a key that is not a name"); continue }
            if !allowed.contains(key.string) {
                error(line(k), "unknown field '\(key.string)' in \(what) (expected \(allowed.joined(separator: ", ")))")
            }
            f.entries[key.string] = (line(k), v)
        }
        return f
    }

    /// A non-empty single value. A missing or empty required field is reported on the mapping's line.
    mutating func string(_ f: Fields, _ key: String, required: Bool = true) -> (value: String, line: Int)? {
        guard let node = f[key] else {
            if required { error(f.line, "\(f.what) is missing required field '\(key)'") }
            return nil
        }
        guard case .scalar(let s) = node else {
            error(line(node), "'\(key)' in \(f.what) must be a single value, not a list or mapping"); return nil
        }
        // `key:` and `key: ~` are YAML nulls: treat them as absent, not as the text "~".
        let isNull = s.tag.rawValue == Tag.Name.null.rawValue
        if isNull || s.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            if required { error(line(node), "'\(key)' in \(f.what) is empty") }
            return nil
        }
        return (s.string, line(node))
    }

    /// A list; an absent or empty value gives []. Missing and required is reported.
    mutating func list(_ f: Fields, _ key: String, required: Bool = false) -> [Node] {
        guard let node = f[key] else {
            if required { error(f.line, "\(f.what) is missing required field '\(key)'") }
            return []
        }
        switch node {
        case .sequence(let seq): return Array(seq)
        case .scalar(let s) where s.string.isEmpty || s.tag.rawValue == Tag.Name.null.rawValue: return []
        default: error(line(node), "'\(key)' in \(f.what) must be a list ('- ' items)"); return []
        }
    }

    /// Codes and ids: lower-case letters, digits, `_`, `-`, segments joined by dots.
    static func isCode(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { seg in
            !seg.isEmpty && seg.unicodeScalars.allSatisfy {
                ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-"
            }
        }
    }

    /// Reports each unknown placeholder on the source line where it is written.
    mutating func checkPlaceholders(_ text: String, startLine: Int) {
        for name in Placeholders.unknownNames(in: text) {
            error(placeholderLine(name, from: startLine), "unknown placeholder {{\(name)}}")
        }
    }

    /// Scalars may span lines (block `|` text), so look for the token from the value's first line on.
    func placeholderLine(_ name: String, from startLine: Int) -> Int {
        guard startLine >= 1 else { return startLine }
        var i = startLine - 1
        while i < lines.count {
            if lines[i].contains("{{"), Placeholders.tokens(in: String(lines[i])).contains(where: { $0.name == name }) {
                return i + 1
            }
            i += 1
        }
        return startLine
    }
}
