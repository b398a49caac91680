import ArgumentParser
import CaseCore
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import cases from CSV (header row) or JSON Lines: all rows or none (docs/import-format.md).")
    @Argument(help: "A .csv or .jsonl file.") var file: String
    @Flag(name: .customLong("dry-run"), help: "Check every row and say what would be imported; write nothing.") var dryRun = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let s = try store.open()
        try s.require(store.login, .importCases)
        try requireReadable(file)
        let known = CaseImport.Known(callTypes: Set(try s.callTypes().map(\.code)),
                                     resolutionCodes: Set(try s.currentPack().resolutionCodes.map(\.code)),
                                     logins: Set(try s.users().map(\.login)))
        if dryRun {
            // Every bad line (up to a limit) on stderr, then one summary line.
            let (parsed, problems) = try CaseImport.check(file: file, known: known)
            for p in problems { FileHandle.standardError.write(Data("\(p)\n".utf8)) }
            guard problems.isEmpty else {
                let more = problems.count >= CaseImport.problemLimit ? " (the first \(CaseImport.problemLimit) shown)" : ""
                throw Failure("\(file): \(problems.count) bad line(s)\(more); nothing would be imported")
            }
            print("\(file): \(parsed.rows.count) case(s) would be imported; nothing written (dry run)")
            return
        }
        let parsed = try CaseImport.parse(file: file, known: known)
        let ids = try s.importCases(parsed, file: file, by: store.login)
        print("\(file): imported \(ids.count) case(s), #\(ids.first!)…#\(ids.last!)")
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write every case to stdout as CSV or JSON Lines.")
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl }
    @Option var format: Format = .csv
    @OptionGroup var store: StoreOptions

    func run() throws {
        let s = try store.open()
        try s.require(store.login, .exportCases)
        let cases = try s.listCases(ascending: true)
        var customers: [Int64: Customer] = [:]
        var out = ""
        if format == .csv { out += CaseExport.columns.joined(separator: ",") + "\n" }
        for c in cases {
            if customers[c.customerId] == nil { customers[c.customerId] = try s.customer(c.customerId) }
            let f = CaseExport.fields(c, customers[c.customerId]!)
            switch format {
            case .csv: out += CaseExport.columns.map { CaseExport.csvField(f[$0]) }.joined(separator: ",") + "\n"
            case .jsonl:
                let data = try JSONSerialization.data(withJSONObject: f, options: [.sortedKeys, .withoutEscapingSlashes])
                out += String(decoding: data, as: UTF8.self) + "\n"
            }
            if out.utf8.count > 1 << 16 { try emit(out); out = "" }
        }
        try emit(out)
    }

    /// Writes to stdout; a full disk or a closed pipe is one `casedesk:` line, not a crash.
    func emit(_ text: String) throws {
        do { try FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) }
        catch { throw StoreFailure(file: "the export (standard output)", writing: true, error) }
    }
}

struct Scripts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call types, scripts and responses: list, show, import, export, lint.",
        subcommands: [List.self, Show.self, ImportPack.self, ExportPack.self, Lint.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List call types with their SLA targets and scripts.")
        @OptionGroup var store: StoreOptions
        func run() throws {
            let s = try store.open()
            let pack = try s.currentPack()
            let withScript = Set(pack.scripts.map(\.callType))
            print(table(["CODE", "NAME", "PRI", "FIRST RESPONSE", "RESOLUTION", "SCRIPT"],
                        pack.callTypes.map { [$0.code, $0.name, $0.defaultPriority.description, PackDuration.format($0.firstResponseMinutes),
                                              PackDuration.format($0.resolutionMinutes), withScript.contains($0.code) ? "yes" : "-"] }))
            print("\nresolution codes: " + pack.resolutionCodes.map(\.code).joined(separator: ", "))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a call type's script.")
        @Argument var code: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            guard let script = try store.open().script(for: code) else { throw Failure("no script for call type '\(code)'") }
            print("\(script.title) · \(script.callType)")
            for (i, step) in script.steps.enumerated() {
                print("\n\(i + 1). \(step.title) [\(step.id), \(step.kind.rawValue)]")
                if let q = step.question {
                    print("   ? \(q)")
                    for c in step.choices { print("     - \(c.answer) → \(c.next)") }
                } else if let next = step.next { print("   → \(next)") }
                for r in step.responses { print("   \(r.id): \(r.text)") }
            }
        }
    }

    struct ImportPack: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", abstract: "Load a content pack directory (it must lint clean).")
        @Argument var directory: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            let s = try store.open()
            try s.require(store.login, .manageContent)
            let (pack, _) = try loadPack(directory)
            let changes = try s.install(pack, by: store.login)
            print("imported \(directory): \(pack.callTypes.count) call types, \(pack.scripts.count) scripts, \(pack.resolutionCodes.count) resolution codes")
            for line in changes.lines { print("  " + line) }
            if !changes.callTypes.retired.isEmpty || !changes.resolutionCodes.retired.isEmpty {
                print("  retired entries stay on the cases that have them; pickers and new cases no longer offer them")
            }
        }
    }

    struct ExportPack: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Write the database's content pack to a directory.")
        @Argument var directory: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            let pack = try store.open().currentPack()
            if let refusal = SharedInstall.refusalToWrite(directory) { throw Failure("cannot write \(directory): \(refusal)") }
            try PackWriter.write(pack, to: URL(fileURLWithPath: directory))
            print("exported \(pack.callTypes.count) call types and \(pack.scripts.count) scripts to \(directory)")
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a content pack: prints FILE:LINE: problem for each.")
        @Argument var directory: String
        func run() throws {
            try requireReadable(directory)
            let problems = PackLoader.lint(directory: URL(fileURLWithPath: directory))
            for p in problems { print(p) }
            if !problems.isEmpty { throw Failure("\(problems.count) problem(s) in \(directory)") }
            print("\(directory): ok")
        }
    }
}
