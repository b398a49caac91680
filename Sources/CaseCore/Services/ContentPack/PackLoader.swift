import Foundation
import Yams

/// Reads a content pack directory:
///
///     calltypes.yaml           business hours, resolution codes, call types
///     scripts/<code>.yaml      one script per call type
///     scorecards/<id>.yaml     QA scorecards
public enum PackLoader {
    public static let callTypesFile = "calltypes.yaml"
    public static let scriptsDirectory = "scripts"
    public static let scorecardsDirectory = "scorecards"

    /// The pack, or the first problem `lint` would report.
    public static func load(directory: URL) throws -> ContentPack {
        let (pack, problems) = analyse(directory: directory)
        if let first = problems.first { throw first }
        return pack
    }

    /// Every problem in the pack, ordered by file then line; empty when the pack is clean.
    public static func lint(directory: URL) -> [PackError] {
        analyse(directory: directory).problems
    }

    /// A best-effort pack plus every problem found on the way.
    public static func analyse(directory: URL) -> (pack: ContentPack, problems: [PackError]) {
        let base = displayBase(directory)
        var problems: [PackError] = []
        var pack = ContentPack()

        // calltypes.yaml
        var callTypeOrder: [String: Int] = [:]
        var reader = FileReader(display: display(base, callTypesFile))
        if let root = reader.open(directory.appendingPathComponent(callTypesFile)) {
            let parsed = reader.parseCallTypesFile(root)
            pack.callTypes = parsed.callTypes
            pack.resolutionCodes = parsed.resolutionCodes
            pack.businessHours = parsed.hours
            pack.retentionResolvedAfter = reader.retention
            pack.settings = reader.settings
        }
        problems += reader.sortedErrors
        for (i, t) in pack.callTypes.enumerated() where callTypeOrder[t.code] == nil { callTypeOrder[t.code] = i }
        let known = reader.declaredCallTypes

        problems += shapeProblems(directory, base: base)

        let scripts = readEach(directory, base: base, sub: scriptsDirectory, key: \.callType,
                               twice: { "a second script for call type '\($0.callType)' (the first is \($1))" }) { r, root in
            r.parseScript(root, knownCallTypes: known)
        }
        pack.scripts = scripts.items
        problems += scripts.problems
        // Scripts follow their call types' order in calltypes.yaml, so the pack reads like the file.
        pack.scripts.sort { a, b in
            let ia = callTypeOrder[a.callType] ?? Int.max, ib = callTypeOrder[b.callType] ?? Int.max
            return ia != ib ? ia < ib : a.callType < b.callType
        }

        let cards = readEach(directory, base: base, sub: scorecardsDirectory, key: \.id,
                             twice: { "duplicate scorecard id '\($0.id)' (also in \($1))" }) { r, root in r.parseScorecard(root) }
        pack.scorecards = cards.items
        problems += cards.problems
        pack.scorecards.sort { $0.id < $1.id }
        return (pack, problems)
    }

    /// Each `sub/*.yaml` read with `parse`; the first file for each key wins, and a later one
    /// is reported where its key is written, naming the first.
    static func readEach<T>(_ directory: URL, base: String, sub: String, key: (T) -> String,
                            twice: (T, String) -> String, parse: (inout FileReader, Node) -> (T, Int)?)
        -> (items: [T], problems: [PackError]) {
        var items: [T] = [], problems: [PackError] = [], firstFile: [String: String] = [:]
        for rel in yamlFiles(in: directory, sub: sub) {
            var r = FileReader(display: display(base, rel))
            if let root = r.open(directory.appendingPathComponent(rel)), let (item, keyLine) = parse(&r, root) {
                if let other = firstFile[key(item)] {
                    r.error(keyLine, twice(item, other))
                } else {
                    firstFile[key(item)] = r.display
                    items.append(item)
                }
            }
            problems += r.sortedErrors
        }
        return (items, problems)
    }

    // MARK: Paths

    /// The directory as the caller spelt it, so messages point where they typed.
    static func displayBase(_ directory: URL) -> String {
        var s = directory.relativePath
        while s.count > 1, s.hasSuffix("/") { s.removeLast() }
        return s
    }

    static func display(_ base: String, _ rel: String) -> String {
        base.isEmpty || base == "." ? rel : (base == "/" ? "/" + rel : base + "/" + rel)
    }

    /// `sub/*.yaml` and `sub/*.yml`, sorted, as paths relative to the pack.
    static func yamlFiles(in directory: URL, sub: String) -> [String] {
        let dir = directory.appendingPathComponent(sub)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { name in
            var folder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &folder)
            return (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !name.hasPrefix(".") && !folder.boolValue
        }
            .sorted().map { sub + "/" + $0 }
    }
}

