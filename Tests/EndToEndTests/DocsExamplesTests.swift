import ArgumentParser
import Foundation
import Testing
@testable import casedesk

/// Every example command in `docs/*.md` (a `casedesk …` line in a code block, or `$ casedesk …`
/// in an output block) parses: its subcommand and every flag exist and every value is accepted.
/// The read-only ones really run on a fresh demo database and exit 0, and a documented error
/// line is the one the program prints. So the docs cannot drift from the program.
@Suite struct DocsExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Examples that cannot be checked as written, with the reason.
    static let allowed: [(file: String, command: String, why: String)] = [
        // "…" stands for the options of `case new` given just above it.
        ("command-line.md", "casedesk case new … --team", "an ellipsis for the options above"),
    ]

    /// Words the docs use for things this test supplies.
    static func substitute(_ word: String, _ demo: String, _ files: String) -> String {
        let pack = root.appendingPathComponent("Resources/pack").path
        let table: [String: String] = [
            "D": demo, "DB": demo, "desk.sqlite": demo, "/srv/casedesk/desk.sqlite": demo, "/var/lib/casedesk/casedesk.sqlite": demo,
            "~/.local/share/casedesk/casedesk.sqlite": demo, "$TRAINING": demo, "TRAINING_DB": demo, "~/training/cases.sqlite": demo,
            "ID": "12", "CASE": "2381", "SESSION": "1", "FLAG": "1", "SCORE": "4", "N": "3", "H": "8",
            "LOGIN": "alice", "TRAINER": "tess", "TRAINEE": "bea", "SCORER": "dana", "C": "billing", "CH": "phone",
            "NAME": "Tier 1", "TEXT": "text", "ADDRESS": "ann@example.com", "DATE": "2026-10-01", "YYYY-MM-DD": "2026-11-16",
            "CRITERION=0": "greeting=0", "CRITERION": "documentation", "ria": "admin", "DIR": pack, "./mypack": pack, "./my-pack": pack, "~/our-pack": pack,
            "Resources/pack": pack, "./my-scenarios": root.appendingPathComponent("Resources/training").path, "SCENARIO_DIR": root.appendingPathComponent("Resources/training").path,
            "FILE": files + "/survey.csv", "survey.csv": files + "/survey.csv", "cases.csv": files + "/survey.csv",
        ]
        return table[word] ?? word
    }

    /// Commands that only read: they run on the demo database and must exit 0.
    static let readOnly: [[String]] = [
        ["case", "list"], ["case", "show"], ["customer", "find"], ["customer", "show"], ["customer", "export"], ["search"], ["report"],
        ["doctor"], ["settings", "list"], ["user", "list"], ["team", "list"], ["team", "board"], ["scripts", "list"], ["scripts", "show"],
        ["scripts", "lint"], ["consult", "list"], ["flags", "list"], ["mail", "outbox"], ["mail", "quarantine", "list"],
        ["case", "messages"], ["case", "attachments"],
        ["qa", "report"], ["qa", "show"], ["qa", "queue"], ["train", "lint"], ["export"],
        // Not `qa calibrate`: it needs reviews of the very case it names, which the demo may not have.
    ]

    @Test func everyExampleParsesAndTheReadOnlyOnesRun() throws {
        let dir = try Casedesk.tempDir()
        let demo = dir + "/demo.sqlite"
        let made = try Casedesk.run(["init", "--demo", "--db", demo])
        try #require(made.status == 0, "\(made.stderr)")
        try "case,score,comment,at\n".write(toFile: dir + "/survey.csv", atomically: true, encoding: .utf8)

        let examples = try DocExample.all(in: Self.root.appendingPathComponent("docs"))
        #expect(examples.count > 100, "found only \(examples.count) examples")
        var ran = 0
        for example in examples {
            if Self.allowed.contains(where: { example.file == $0.file && example.text.hasPrefix($0.command) }) { continue }
            for variant in example.variants {
                let args = variant.map { Self.substitute($0, demo, dir) }
                let place = "\(example.file):\(example.line): casedesk \(args.joined(separator: " "))"
                let isReadOnly = Self.readOnly.contains(where: { args.starts(with: $0) }) && !args.contains("--repair")
                // On the demo database; commands that take no database (lint) run as they are.
                let run = args.contains("--db") || (try? casedesk.Casedesk.parseAsRoot(args + ["--db", demo])) == nil ? args : args + ["--db", demo]
                if let expected = example.expectedError, isReadOnly {
                    let r = try Casedesk.run(run)
                    #expect(r.status != 0 && r.stderr == expected + "\n", "\(place)\nprints: \(r.stderr)")
                    continue
                }
                do {
                    _ = try casedesk.Casedesk.parseAsRoot(args)
                } catch {
                    // --help and --generate-completion-script end parsing with success.
                    let code = casedesk.Casedesk.exitCode(for: error)
                    #expect(code == .success, "\(place)\ndoes not parse: \(casedesk.Casedesk.message(for: error))")
                }
                guard isReadOnly else { continue }
                let r = try Casedesk.run(run)
                #expect(r.status == 0, "\(place)\nexit \(r.status): \(r.stderr)")
                ran += 1
            }
        }
        #expect(ran > 40, "ran only \(ran) read-only examples")
    }
}

/// An example command as the docs write it: the synopsis notation (`[--opt]`, `a|b|c`, `…`)
/// is read as "with the options, each alternative in turn".
struct DocExample {
    var file: String
    var line: Int
    var text: String
    /// The line after a `$ casedesk …` line when it is an error (`casedesk: …`).
    var expectedError: String?

    static func all(in docs: URL) throws -> [DocExample] {
        var out: [DocExample] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: docs.path).sorted() where name.hasSuffix(".md") {
            let lines = try String(contentsOf: docs.appendingPathComponent(name), encoding: .utf8).components(separatedBy: "\n")
            var inBlock = false
            var i = 0
            while i < lines.count {
                let t = lines[i].trimmingCharacters(in: .whitespaces)
                if t.hasPrefix("```") { inBlock.toggle(); i += 1; continue }
                let start = i
                guard inBlock, t.hasPrefix("casedesk ") || t == "casedesk" || t.hasPrefix("$ casedesk") else { i += 1; continue }
                var text = t.hasPrefix("$ ") ? String(t.dropFirst(2)) : t
                while text.hasSuffix("\\"), i + 1 < lines.count {   // continued on the next line
                    i += 1
                    text = String(text.dropLast()) + " " + lines[i].trimmingCharacters(in: .whitespaces)
                }
                var error: String?
                if t.hasPrefix("$ "), i + 1 < lines.count, lines[i + 1].hasPrefix("casedesk: ") { error = lines[i + 1] }
                out.append(DocExample(file: name, line: start + 1, text: text, expectedError: error))
                i += 1
            }
        }
        return out
    }

    /// The arguments after `casedesk`: one list per alternative of each `a|b` word.
    var variants: [[String]] {
        var words = Self.words(text)
        guard words.first?.text == "casedesk" else { return [] }
        words.removeFirst()
        var plain: [(text: String, alternatives: [String])] = []
        for w in words {
            if !w.quoted, ["|", ">", "<", "&&", "2>", ">>"].contains(w.text) || w.text.hasPrefix(">") { break }   // a pipe, a redirection, or "or"
            if w.quoted { plain.append((w.text, [w.text])); continue }
            let bare = w.text
            if bare.isEmpty || bare == "…" { continue }
            var alternatives = bare.split(separator: "|").map(String.init)
            if let eq = alternatives[0].firstIndex(of: "=") {   // NAME=0|1: the alternatives are values
                alternatives = [alternatives[0]] + alternatives.dropFirst().map { String(alternatives[0][...eq]) + $0 }
            }
            plain.append((bare, alternatives))
        }
        let first = plain.map { $0.alternatives[0] }
        var out = [first]
        for (i, w) in plain.enumerated() {
            for alt in w.alternatives.dropFirst() { var v = first; v[i] = alt; out.append(v) }
        }
        return out
    }

    /// Shell words: quotes and backslashes as sh reads them; a comment ends the line.
    static func words(_ line: String) -> [(text: String, quoted: Bool)] {
        var out: [(text: String, quoted: Bool)] = []
        var current = "", quoted = false, inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped { current.append(c); escaped = false; inWord = true; continue }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { current.append(c) }
                continue
            }
            switch c {
            case "\\": escaped = true
            case "'", "\"": quote = c; quoted = true; inWord = true
            case "#" where !inWord: return out
            case "[", "]", "(", ")": continue   // synopsis notation: optional, grouped
            case " ", "\t":
                if inWord { out.append((current, quoted)) }
                current = ""; quoted = false; inWord = false
            default: current.append(c); inWord = true
            }
        }
        if inWord { out.append((current, quoted)) }
        return out
    }
}
