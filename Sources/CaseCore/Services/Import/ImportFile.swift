import Foundation
import SwiftCSV

/// One row of an import file as text, with the physical line it starts on.
struct ImportRow {
    var line: Int
    var fields: [String: String]
}

/// Reads an import file into rows: UTF-8 (a byte-order mark is skipped), LF or CRLF line
/// ends, CSV with a header row or JSON Lines. Problems with the file as a whole (not
/// UTF-8, malformed CSV, a bad header) name the line and column where they are.
enum ImportFile {
    static func read(path: String, name: String, columns: [String], required: [String]) throws -> [ImportRow] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(file: name, line: 0, problem: "cannot read the file (\(String(cString: strerror(errno))))")
        }
        return try read(data: data, name: name, columns: columns, required: required)
    }

    /// The file's bytes; `name` (its extension) says whether it is JSON Lines.
    static func read(data: Data, name: String, columns: [String], required: [String]) throws -> [ImportRow] {
        let path = name
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let (line, column) = firstInvalidUTF8(bytes) {
            throw ImportError(file: name, line: line, problem: "the file is not UTF-8 text (a bad byte at column \(column))")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let firstNonBlank = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || firstNonBlank == UInt8(ascii: "{") {
            return try jsonLines(bytes, file: name, columns: columns)
        }
        return try csvRows(text, file: name, columns: columns, required: required)
    }

    /// The line and column (in bytes, 1-based) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (Int, Int)? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0, line = 1, lineStart = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar):
                if scalar.count == 1, scalar.first == 0x0A { line += 1; lineStart = offset + 1 }
                offset += scalar.count
            case .error(let length):
                _ = length
                return (line, offset - lineStart + 1)
            case .emptyInput:
                return nil
            }
        }
    }

    // MARK: JSON Lines

    static func jsonLines(_ bytes: [UInt8], file: String, columns: [String]) throws -> [ImportRow] {
        var result: [ImportRow] = []
        var lineNumber = 0
        for var line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.last == 0x0D { line = line.dropLast() }
            guard line.contains(where: { ![0x20, 0x09].contains($0) }) else { continue }
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(line)) }
            catch { throw ImportError(file: file, line: lineNumber, problem: "not valid JSON (\(jsonProblem(error)))") }
            guard let dictionary = object as? [String: Any] else {
                throw ImportError(file: file, line: lineNumber, problem: "not a JSON object")
            }
            var fields: [String: String] = [:]
            for (key, value) in dictionary {
                guard columns.contains(key) else {
                    throw ImportError(file: file, line: lineNumber, problem: "unknown field '\(key)' (known: \(columns.joined(separator: ", ")))")
                }
                switch value {
                case let s as String: fields[key] = s
                case let n as NSNumber:
                    // JSON true/false arrive as NSNumber too; their type code tells them apart from 1/0.
                    fields[key] = String(cString: n.objCType) == "c" ? (n.boolValue ? "true" : "false") : n.stringValue
                case is NSNull: break
                default:
                    throw ImportError(file: file, line: lineNumber, problem: "must be a string or a number", column: key)
                }
            }
            result.append(ImportRow(line: lineNumber, fields: fields))
        }
        return result
    }

    static func jsonProblem(_ error: Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return text.isEmpty ? "malformed" : text
    }

    // MARK: CSV

    static func csvRows(_ text: String, file: String, columns: [String], required: [String]) throws -> [ImportRow] {
        let starts = recordStartLines(text)
        var records: [[String]] = []
        do {
            let csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false)
            records = [csv.header] + csv.rows
        } catch {
            throw ImportError(file: file, line: malformedLine(text, starts: starts), problem: "malformed CSV (a quote inside a field that is not quoted, or text after a closing quote)")
        }
        guard let headerRow = records.first, !(headerRow.count == 1 && headerRow[0].isEmpty) else {
            throw ImportError(file: file, line: 1, problem: "no header row")
        }
        let headerLine = starts.first ?? 1
        let header = headerRow.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        var seen: Set<String> = []
        for (index, column) in header.enumerated() {
            if column.isEmpty { throw ImportError(file: file, line: headerLine, problem: "header \(index + 1) is empty") }
            guard columns.contains(column) else {
                throw ImportError(file: file, line: headerLine, problem: "unknown column '\(column)' (known: \(columns.joined(separator: ", ")))")
            }
            guard seen.insert(column).inserted else {
                throw ImportError(file: file, line: headerLine, problem: "column '\(column)' appears twice in the header")
            }
        }
        for column in required where !seen.contains(column) {
            throw ImportError(file: file, line: headerLine, problem: "missing column '\(column)'")
        }
        var result: [ImportRow] = []
        for (index, row) in records.dropFirst().enumerated() {
            let line = index + 1 < starts.count ? starts[index + 1] : (starts.last ?? 1)
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == header.count else {
                throw ImportError(file: file, line: line, problem: "\(row.count) fields where the header has \(header.count)")
            }
            var fields: [String: String] = [:]
            for (key, value) in zip(header, row) where !value.isEmpty { fields[key] = value }
            result.append(ImportRow(line: line, fields: fields))
        }
        return result
    }

    /// The physical line each CSV record starts on: a line break outside quotes ends a
    /// record (a doubled quote inside a quoted field flips the state twice).
    static func recordStartLines(_ text: String) -> [Int] {
        var starts = [1], line = 1, quoted = false
        let utf8 = Array(text.utf8)
        for (i, byte) in utf8.enumerated() {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            else if byte == 0x0A {
                line += 1
                if !quoted, i + 1 < utf8.count { starts.append(line) }
            }
        }
        return starts
    }

    /// The line of the first record the CSV library refuses on its own.
    static func malformedLine(_ text: String, starts: [Int]) -> Int {
        let lines = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1] - 1 : lines.count
            let record = lines[(start - 1)..<max(start, end)].joined(separator: "\n")
            if (try? CSV<Enumerated>(string: record, delimiter: .comma, loadColumns: false)) == nil { return start }
        }
        return starts.last ?? 1
    }
}
