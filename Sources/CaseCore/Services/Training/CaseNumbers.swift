import Foundation
import GRDB

/// Numbers in a training copy that must not point back at production: a copied case's
/// own number in its text ("under reference 2390") becomes the training case's number,
/// and pseudonym emails, phones and account numbers carry a random number, never the
/// real customer's id.
enum CaseNumbers {
    /// Replaces every whole number in `text` that is a key of `map` (a source case id)
    /// with its value (the training case id). Parts of decimals, times and longer
    /// numbers are left alone ("23.90", "10:23", "2025-07-01", "12345").
    static func replace(in text: String, _ map: [Int64: Int64]) -> String {
        guard !map.isEmpty, text.contains(where: \.isASCIIDigit) else { return text }
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            guard chars[i].isASCIIDigit else { out.append(chars[i]); i += 1; continue }
            var j = i
            while j < chars.count, chars[j].isASCIIDigit { j += 1 }
            let run = String(chars[i..<j])
            let joinedBefore = i >= 2 && ".,:-/".contains(chars[i - 1]) && chars[i - 2].isASCIIDigit
            let joinedAfter = j + 1 < chars.count && ".,:-/".contains(chars[j]) && chars[j + 1].isASCIIDigit
            // Only the number as written ("7", not "07"): a part of a date or an amount is left alone.
            if !joinedBefore, !joinedAfter, let n = Int64(run), String(n) == run, let to = map[n] { out += String(to) } else { out += run }
            i = j
        }
        return out
    }

    /// Whether `text` holds `number` as a whole number (the leak check).
    static func contains(_ text: String, _ number: Int64) -> Bool {
        replace(in: text, [number: -1]) != text
    }

    /// The number a pseudonym's email or account carries (its digit runs), or a phone's
    /// (its last seven digits): any of them being the real customer's id is a leak.
    static func numbers(in text: String, column: String) -> [Int64] {
        if column == "phone" { return [Int64(text.filter(\.isASCIIDigit).suffix(7)) ?? -1] }
        return text.split(whereSeparator: { !$0.isASCIIDigit }).compactMap { Int64($0) }
    }
}

extension Genericizer {
    /// The leak check for numbers: no copied case's text holds its production number, and
    /// no pseudonym's email, phone or account holds its customer's production id.
    static func numberLeaks(in reader: some DatabaseReader, cases: [(Int64, Int64)], customers: [Int64: Int64]) throws -> [Leak] {
        try reader.read { db in
            var found: [Leak] = []
            let trainingIds = Set(cases.map(\.1))
            for (source, copy) in cases where source != copy && !trainingIds.contains(source) {
                let subject = try String.fetchOne(db, sql: "SELECT subject FROM cases WHERE id = ?", arguments: [copy]) ?? ""
                if CaseNumbers.contains(subject, source) { found.append(Leak(identifier: "case number \(source)", table: "cases", column: "subject")) }
                for row in try Row.fetchAll(db, sql: "SELECT old_value, new_value, body FROM events WHERE case_id = ?", arguments: [copy]) {
                    for column in ["old_value", "new_value", "body"] {
                        if let v = row[column] as String?, CaseNumbers.contains(v, source) {
                            found.append(Leak(identifier: "case number \(source)", table: "events", column: column))
                        }
                    }
                }
            }
            for (source, copy) in customers {
                guard let row = try Row.fetchOne(db, sql: "SELECT email, phone, account FROM customers WHERE id = ?", arguments: [copy]) else { continue }
                for column in ["email", "phone", "account"] {
                    if let v = row[column] as String?, CaseNumbers.numbers(in: v, column: column).contains(source) {
                        found.append(Leak(identifier: "customer id \(source)", table: "customers", column: column))
                    }
                }
            }
            return found
        }
    }
}

/// Unique random numbers for pseudonyms, never the customer's own id.
struct PseudonymNumbers {
    private var used = Set<Int>()
    /// A number no other pseudonym has, none of whose digit groups as a pseudonym shows
    /// them (email and account: n; phone: n / 10000 and n % 10000; street: n % 1000) is or
    /// ends with the customer's id ("…80@" for customer 80), so no part of a pseudonym
    /// reads as the id, even by chance.
    mutating func draw(avoiding id: Int64) -> Int {
        while true {
            let n = Int.random(in: 100_000...999_999)
            if !Self.shownGroups(n).contains(where: { $0.hasSuffix(String(id)) }), used.insert(n).inserted { return n }
        }
    }

    /// The digit groups of `n` as the pseudonym's email, account, phone and street show them.
    static func shownGroups(_ n: Int) -> [String] {
        [String(n), String(format: "%03d", n / 10_000), String(format: "%04d", n % 10_000), String(n % 1000)]
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
