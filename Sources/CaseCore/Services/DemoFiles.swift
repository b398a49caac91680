import Foundation
import Yams

/// The demo's data, read from `Resources/demo` (found as the content pack is: beside the
/// running executable, installed as `share/casedesk/demo`, else in the source tree).
struct DemoFiles: Sendable {
    var names: DemoNames
    var topics: DemoTopics
    var outcomes: DemoOutcomes
    var staff: DemoStaff

    static let directoryName = "demo"

    /// Read once per process; a missing or broken file is one clear error, thrown by every use.
    static func shared() throws -> DemoFiles { try loaded.get() }
    private static let loaded: Result<DemoFiles, CaseError> = Result {
        guard let dir = PackLocator.resourceDirectory(directoryName, marker: "names.yaml") else {
            throw CaseError.invalid("cannot find the demo data (Resources/demo)")
        }
        return try load(directory: dir)
    }.mapError { $0 as? CaseError ?? CaseError.invalid("\($0)") }

    static func load(directory: URL) throws -> DemoFiles {
        func read<T: Decodable>(_ file: String) throws -> T {
            let url = directory.appendingPathComponent(file)
            do {
                return try YAMLDecoder().decode(T.self, from: String(contentsOf: url, encoding: .utf8))
            } catch {
                throw CaseError.invalid("\(url.relativePath): \(describe(error))")
            }
        }
        let files = DemoFiles(names: try read("names.yaml"), topics: try read("topics.yaml"),
                              outcomes: try read("outcomes.yaml"), staff: try read("staff.yaml"))
        for s in files.names.showcase where !files.names.cultures.contains(where: { $0.lang == s.lang }) {
            throw CaseError.invalid("\(directory.relativePath)/names.yaml: showcase name '\(s.name)' has a language (\(s.lang)) no culture has")
        }
        for m in files.staff.staff where m.team.map({ !files.staff.teams.indices.contains($0) }) ?? false {
            throw CaseError.invalid("\(directory.relativePath)/staff.yaml: \(m.login)'s team \(m.team!) is not in teams")
        }
        guard files.topics.months.count == 12 else {
            throw CaseError.invalid("\(directory.relativePath)/topics.yaml: months must name twelve months")
        }
        return files
    }

    /// One line: where in the file, and what is wrong.
    static func describe(_ error: Error) -> String {
        let context: DecodingError.Context?
        switch error as? DecodingError {
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?, .keyNotFound(_, let c)?, .dataCorrupted(let c)?: context = c
        default: context = nil
        }
        guard let context else { return "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ") }
        let at = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return (at.isEmpty ? "" : at + ": ") + context.debugDescription
    }
}
