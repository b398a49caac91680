import Foundation

/// A problem with one line of an import file: `FILE:LINE: what is wrong (column 'x')`.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var problem: String
    public var column: String?
    public init(file: String, line: Int, problem: String, column: String? = nil) {
        self.file = file; self.line = line; self.problem = problem; self.column = column
    }
    public var description: String { "\(file):\(line): \(problem)" + (column.map { " (column '\($0)')" } ?? "") }
}

/// One case read from an import file: what `case new` takes, plus what an export carries
/// (id, status, assignee, due and resolution times, resolution code, CSAT).
public struct ImportedCase: Sendable {
    public var line: Int
    public var new: NewCase
    public var id: Int64?
    public var status: CaseStatus = .new
    public var assignee: String?
    public var dueAt: Date?
    public var firstResponseAt: Date?
    public var resolvedAt: Date?
    public var resolutionCode: String?
    public var csat: Int?
}

/// Cases from CSV (with a header row) or JSON Lines. Every row is checked before
/// anything is written, and the rows are written in one transaction: all or nothing.
/// What cannot be stored as it was written is refused, never cut short or guessed.
public enum CaseImport {
    public static let columns = ["customer", "email", "phone", "channel", "call_type", "subject",
                                 "priority", "self_service", "created_at", "body"]
    /// Columns an export writes that import also reads back (`version` is accepted and not kept:
    /// an imported case starts at version 1).
    public static let exportColumns = ["id", "status", "assignee", "due_at", "first_response_at", "resolved_at",
                                       "resolution_code", "csat", "version"]
    public static let required = ["customer", "channel", "subject"]
    /// Fields that may hold line breaks and tabs; every other field is one line.
    static let multiline: Set<String> = ["subject", "body"]
    static let maxFieldBytes = 65_536
    /// `--dry-run` lists at most this many bad lines.
    public static let problemLimit = 100

    public struct Parsed: Sendable {
        public var rows: [ImportedCase]
        public var cases: [NewCase] { rows.map(\.new) }
    }

    /// What the file is checked against; nil sets are checked when the rows are written.
    public struct Known: Sendable {
        public var callTypes: Set<String>
        public var resolutionCodes: Set<String>?
        public var logins: Set<String>?
        public init(callTypes: Set<String>, resolutionCodes: Set<String>? = nil, logins: Set<String>? = nil) {
            self.callTypes = callTypes; self.resolutionCodes = resolutionCodes; self.logins = logins
        }
    }

    /// Reads and checks a file; throws the first bad line.
    public static func parse(file path: String, callTypes: Set<String>) throws -> Parsed {
        try parse(file: path, known: Known(callTypes: callTypes))
    }

    public static func parse(file path: String, known: Known) throws -> Parsed {
        let (parsed, problems) = try check(file: path, known: known, limit: 1)
        if let first = problems.first { throw first }
        return parsed
    }

    /// Reads and checks a whole file, collecting up to `limit` bad lines. A problem with
    /// the file itself (encoding, CSV structure, header) is thrown at once.
    public static func check(file path: String, known: Known, limit: Int = problemLimit) throws -> (Parsed, [ImportError]) {
        let name = (path as NSString).lastPathComponent
        let rows = try ImportFile.read(path: path, name: name, columns: columns + exportColumns, required: required)
        return try check(rows: rows, name: name, known: known, limit: limit)
    }

    /// The same check on a file's bytes (`name` gives its extension): for tests and the fuzz target.
    public static func check(data: Data, name: String, known: Known, limit: Int = problemLimit) throws -> (Parsed, [ImportError]) {
        let rows = try ImportFile.read(data: data, name: name, columns: columns + exportColumns, required: required)
        return try check(rows: rows, name: name, known: known, limit: limit)
    }

    static func check(rows: [ImportRow], name: String, known: Known, limit: Int) throws -> (Parsed, [ImportError]) {
        guard !rows.isEmpty else { throw ImportError(file: name, line: 1, problem: "no cases in the file") }
        var cases: [ImportedCase] = []
        cases.reserveCapacity(rows.count)
        var problems: [ImportError] = []
        var ids: [Int64: Int] = [:]
        for row in rows {
            do {
                let c = try importedCase(row, known: known)
                if let id = c.id {
                    if let earlier = ids[id] { throw FieldProblem("id \(id) is also on line \(earlier)", column: "id") }
                    ids[id] = row.line
                }
                cases.append(c)
            } catch let p as FieldProblem {
                problems.append(ImportError(file: name, line: row.line, problem: p.problem, column: p.column))
                if problems.count >= limit { break }
            }
        }
        return (Parsed(rows: cases), problems)
    }

    struct FieldProblem: Error {
        var problem: String
        var column: String?
        init(_ problem: String, column: String? = nil) { self.problem = problem; self.column = column }
    }

    /// A field's text, checked: no control characters (line breaks and tabs only where a
    /// field may hold several lines), not absurdly long, trimmed; nil when absent or blank.
    static func text(_ f: [String: String], _ key: String) throws -> String? {
        guard let raw = f[key] else { return nil }
        guard raw.utf8.count <= maxFieldBytes else {
            throw FieldProblem("longer than \(maxFieldBytes / 1024) KiB (\(raw.utf8.count) bytes)", column: key)
        }
        let allowsLines = multiline.contains(key)
        for scalar in raw.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) {
                if allowsLines, v == 0x0A || v == 0x0D || v == 0x09 { continue }
                let what = v == 0 ? "a NUL byte" : v == 0x1B ? "an escape character" : String(format: "a control character (U+%04X)", v)
                throw FieldProblem("contains \(what)" + (v == 0x0A || v == 0x0D ? " (a line break)" : ""), column: key)
            }
        }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            if required.contains(key) { throw FieldProblem("'\(key)' is empty", column: key) }
            return nil
        }
        // CRLF inside a field is one line break, as it is in the file.
        return allowsLines ? trimmed.replacingOccurrences(of: "\r\n", with: "\n") : trimmed
    }

    static func importedCase(_ row: ImportRow, known: Known) throws -> ImportedCase {
        // Every field checked once, in a stable order; absent and blank fields are nil from here on.
        var f: [String: String] = [:]
        for key in row.fields.keys.sorted() { f[key] = try text(row.fields, key) }
        for key in required where f[key] == nil { throw FieldProblem("'\(key)' is empty", column: key) }
        let channelText = f["channel"]!
        guard let channel = Channel(rawValue: channelText.lowercased()) else {
            throw FieldProblem("unknown channel '\(channelText)' (one of: \(Channel.allCases.map(\.rawValue).joined(separator: ", ")))", column: "channel")
        }
        let callType = f["call_type"]
        if let callType, !known.callTypes.contains(callType) { throw FieldProblem(CaseError.noSuchCallType(callType).description, column: "call_type") }
        var priority: Priority?
        if let p = f["priority"] {
            guard let parsed = Priority(label: p) else { throw FieldProblem("priority must be P1, P2, P3 or P4, not '\(p)'", column: "priority") }
            priority = parsed
        }
        var selfService = false
        if let s = f["self_service"]?.lowercased() {
            switch s {
            case "true", "yes", "1", "y": selfService = true
            case "false", "no", "0", "n": selfService = false
            default: throw FieldProblem("self_service must be true or false, not '\(s)'", column: "self_service")
            }
        }
        let email = f["email"]
        if let email, !email.contains("@") { throw FieldProblem("'\(email)' is not an email address", column: "email") }
        let created = try time(f, "created_at")
        var c = ImportedCase(line: row.line, new: NewCase(
            customer: f["customer"]!, customerEmail: email, customerPhone: f["phone"], channel: channel,
            callType: callType, subject: f["subject"]!, priority: priority, selfService: selfService,
            body: f["body"], createdAt: created))
        if let id = f["id"] {
            guard let n = Int64(id), n > 0 else { throw FieldProblem("id must be a positive whole number, not '\(id)'", column: "id") }
            c.id = n
        }
        if let status = f["status"] {
            guard let s = CaseStatus(rawValue: status.lowercased()) else {
                throw FieldProblem("unknown status '\(status)' (one of: new, open, pending, resolved, closed)", column: "status")
            }
            c.status = s
        }
        c.assignee = f["assignee"]
        if let login = c.assignee, let logins = known.logins, !logins.contains(login) {
            throw FieldProblem("no user '\(login)' (add them first: casedesk user add \(login) --role agent)", column: "assignee")
        }
        if let version = f["version"], Int(version) == nil {
            throw FieldProblem("version must be a whole number, not '\(version)'", column: "version")
        }
        c.dueAt = try time(f, "due_at")
        c.firstResponseAt = try time(f, "first_response_at")
        c.resolvedAt = try time(f, "resolved_at")
        let start = created ?? Date()
        for (key, value) in [("due_at", c.dueAt), ("first_response_at", c.firstResponseAt), ("resolved_at", c.resolvedAt)] {
            if let value, value < start { throw FieldProblem("\(key) is before created_at", column: key) }
        }
        c.resolutionCode = f["resolution_code"]
        if let code = c.resolutionCode, let codes = known.resolutionCodes, !codes.contains(code) {
            throw FieldProblem(CaseError.noSuchResolutionCode(code).description, column: "resolution_code")
        }
        if let csat = f["csat"] {
            guard let n = Int(csat), (1...5).contains(n) else { throw FieldProblem("csat must be 1 to 5, not '\(csat)'", column: "csat") }
            c.csat = n
        }
        let closed = c.status == .resolved || c.status == .closed
        if closed, c.resolutionCode == nil {
            throw FieldProblem("a \(c.status.rawValue) case needs a resolution_code", column: "resolution_code")
        }
        if !closed, c.resolutionCode != nil || c.resolvedAt != nil {
            throw FieldProblem("an \(c.status.rawValue) case cannot have a resolution", column: c.resolutionCode != nil ? "resolution_code" : "resolved_at")
        }
        return c
    }

    /// Times the database can hold faithfully: ISO 8601 with a time zone, years 1970 to 2200.
    static let earliest = Date(timeIntervalSince1970: 0)
    static let latest = Date(timeIntervalSince1970: 7_289_654_400)   // 2201-01-01T00:00:00Z
    nonisolated(unsafe) static let iso = Date.ISO8601FormatStyle()

    /// `f` holds fields already checked by `text`.
    static func time(_ f: [String: String], _ key: String) throws -> Date? {
        guard let value = f[key] else { return nil }
        guard validCalendarDate(value), let date = try? iso.parse(value) else {
            throw FieldProblem("'\(value)' is not an ISO 8601 time like 2026-11-23T09:30:00Z", column: key)
        }
        guard date >= earliest, date < latest else {
            throw FieldProblem("'\(value)' is outside the years 1970 to 2200", column: key)
        }
        return date
    }

    /// `YYYY-MM-DD` at the start, with a day that exists in that month (the parser itself
    /// would roll 2026-02-30 over into March, and read more than four year digits).
    static func validCalendarDate(_ value: String) -> Bool {
        let b = Array(value.utf8.prefix(11))
        guard b.count == 11, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range { guard (0x30...0x39).contains(b[i]) else { return nil }; n = n * 10 + Int(b[i] - 0x30) }
            return n
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
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
