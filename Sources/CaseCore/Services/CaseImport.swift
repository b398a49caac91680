import Foundation
import SwiftCSV

/// A problem with one line of an import file: `FILE:LINE: what is wrong`.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var problem: String
    public var description: String { "\(file):\(line): \(problem)" }
}

/// Cases from CSV (with a header row) or JSON Lines. Every row is checked before
/// anything is written, and the rows are written in one transaction: all or nothing.
public enum CaseImport {
    public static let columns = ["customer", "email", "phone", "channel", "call_type", "subject",
                                 "priority", "self_service", "created_at", "body"]
    public static let required = ["customer", "channel", "subject"]

    public struct Parsed: Sendable {
        public var cases: [NewCase]
    }

    /// Reads and checks a file against the database's call types; throws the first bad line.
    public static func parse(file path: String, callTypes: Set<String>) throws -> Parsed {
        let (name, rows) = try readRows(path, columns: columns, required: required, what: "cases")
        return Parsed(cases: try rows.map { line, fields in
            do { return try newCase(fields, callTypes: callTypes) }
            catch let e as CaseError { throw ImportError(file: name, line: line, problem: e.description) }
        })
    }

    /// The rows of a CSV (header row) or JSON Lines file as text fields with their line
    /// numbers, checked against the known and required columns. Shared by every import.
    static func readRows(_ path: String, columns: [String], required: [String], what: String) throws -> (String, [(Int, [String: String])]) {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(file: name, line: 0, problem: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ImportError(file: name, line: 1, problem: "the file is not UTF-8 text")
        }
        let rows: [(Int, [String: String])]
        if path.lowercased().hasSuffix(".jsonl") || path.lowercased().hasSuffix(".ndjson") || text.first == "{" {
            rows = try jsonLines(text, file: name, columns: columns)
        } else {
            rows = try csvRows(text, file: name, columns: columns, required: required)
        }
        guard !rows.isEmpty else { throw ImportError(file: name, line: 1, problem: "no \(what) in the file") }
        return (name, rows)
    }

    static func jsonLines(_ text: String, file: String, columns: [String]) throws -> [(Int, [String: String])] {
        var result: [(Int, [String: String])] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ImportError(file: file, line: index + 1, problem: "not a JSON object")
            }
            var fields: [String: String] = [:]
            for (key, value) in object {
                guard columns.contains(key) else {
                    throw ImportError(file: file, line: index + 1, problem: "unknown field '\(key)' (known: \(columns.joined(separator: ", ")))")
                }
                switch value {
                case let s as String: fields[key] = s
                case let n as NSNumber: fields[key] = (key == "self_service") ? (n.boolValue ? "true" : "false") : n.stringValue
                case is NSNull: break
                default: throw ImportError(file: file, line: index + 1, problem: "field '\(key)' must be a string")
                }
            }
            result.append((index + 1, fields))
        }
        return result
    }

    static func csvRows(_ text: String, file: String, columns: [String], required: [String]) throws -> [(Int, [String: String])] {
        let csv: CSV<Enumerated>
        do { csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false) }
        catch { throw ImportError(file: file, line: 1, problem: "malformed CSV: \(error)") }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for column in header where !columns.contains(column) {
            throw ImportError(file: file, line: 1, problem: "unknown column '\(column)' (known: \(columns.joined(separator: ", ")))")
        }
        for column in required where !header.contains(column) {
            throw ImportError(file: file, line: 1, problem: "missing column '\(column)'")
        }
        var line = 2 + header.joined().filter { $0 == "\n" }.count
        var result: [(Int, [String: String])] = []
        for row in csv.rows {
            // Quoted fields may span lines; count them so errors name the real line.
            defer { line += 1 + row.joined().filter { $0 == "\n" }.count }
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == header.count else {
                throw ImportError(file: file, line: line, problem: "\(row.count) fields where the header has \(header.count)")
            }
            var fields: [String: String] = [:]
            for (key, value) in zip(header, row) where !value.isEmpty { fields[key] = value }
            result.append((line, fields))
        }
        return result
    }

    static func newCase(_ f: [String: String], callTypes: Set<String>) throws -> NewCase {
        for key in required where (f[key] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw CaseError.invalid("'\(key)' is empty")
        }
        guard let channel = Channel(rawValue: f["channel"]!.lowercased()) else {
            throw CaseError.invalid("unknown channel '\(f["channel"]!)' (one of: \(Channel.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if let code = f["call_type"], !callTypes.contains(code) { throw CaseError.noSuchCallType(code) }
        var priority: Priority?
        if let p = f["priority"] {
            guard let parsed = Priority(label: p) else { throw CaseError.invalid("priority must be P1, P2, P3 or P4, not '\(p)'") }
            priority = parsed
        }
        var selfService = false
        if let s = f["self_service"]?.lowercased() {
            switch s {
            case "true", "yes", "1", "y": selfService = true
            case "false", "no", "0", "n": selfService = false
            default: throw CaseError.invalid("self_service must be true or false, not '\(s)'")
            }
        }
        var created: Date?
        if let c = f["created_at"] {
            guard let d = ISO8601DateFormatter().date(from: c) else {
                throw CaseError.invalid("created_at must be an ISO 8601 time like 2026-11-23T09:30:00Z, not '\(c)'")
            }
            created = d
        }
        if let email = f["email"], !email.contains("@") { throw CaseError.invalid("'\(email)' is not an email address") }
        return NewCase(customer: f["customer"]!, customerEmail: f["email"], customerPhone: f["phone"], channel: channel,
                       callType: f["call_type"], subject: f["subject"]!, priority: priority, selfService: selfService,
                       body: f["body"], createdAt: created)
    }
}

/// Cases out as CSV or JSON Lines, in id order.
public enum CaseExport {
    public static let columns = ["id", "status", "priority", "channel", "call_type", "subject", "customer", "email",
                                 "assignee", "created_at", "due_at", "first_response_at", "resolved_at",
                                 "resolution_code", "csat", "self_service", "version"]

    public static func fields(_ c: CaseRecord, _ customer: Customer) -> [String: Any] {
        let iso = ISOTime()
        var f: [String: Any] = ["id": c.id, "status": c.status.rawValue, "priority": c.priority.description,
                                "channel": c.channel.rawValue, "subject": c.subject, "customer": customer.name,
                                "created_at": iso.string(from: c.createdAt), "due_at": iso.string(from: c.dueAt),
                                "self_service": c.selfService, "version": c.version]
        f["call_type"] = c.callType; f["email"] = customer.email; f["assignee"] = c.assignee
        f["first_response_at"] = c.firstResponseAt.map(iso.string(from:)); f["resolved_at"] = c.resolvedAt.map(iso.string(from:))
        f["resolution_code"] = c.resolutionCode; f["csat"] = c.csat
        return f
    }

    /// One CSV field, quoted when it must be (RFC 4180).
    public static func csvField(_ value: Any?) -> String {
        guard let value else { return "" }
        let s = "\(value)"
        return s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// ISO 8601 in UTC through the shared formatter cache (export formats a million of these).
struct ISOTime {
    static let utc = TimeZone(identifier: "UTC")!
    func string(from date: Date) -> String { DateText.format(date, "yyyy-MM-dd'T'HH:mm:ss'Z'", Self.utc) }
}
