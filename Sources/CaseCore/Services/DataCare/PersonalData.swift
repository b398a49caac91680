import Foundation
import GRDB

/// What an erasure did.
public struct ErasureReport: Sendable, CustomStringConvertible {
    public var customerId: Int64
    public var tombstone: String
    public var cases = 0
    /// Cases of the customer still open: they stay in their queues under the tombstone.
    public var openCases: [Int64] = []
    public var eventsRewritten = 0
    public var rowsRewritten = 0
    public var rowsElsewhere = 0
    /// Attachment files of the customer's cases deleted (their rows stay, listed as erased).
    public var attachmentFiles = 0
    /// Training databases recorded as made from the customer's cases (genericized copies).
    public var trainingCopies: [String] = []
    /// Files in which a trace of the customer's details was still found (should be empty).
    public var traces: [String] = []
    public var walTruncated = true
    /// The file was rebuilt (VACUUM) because free space still held a trace.
    public var compacted = false

    /// Only the file was rebuilt: the customer had been erased before.
    public var erasedBefore = false

    public var description: String {
        if erasedBefore {
            return "customer #\(customerId) was erased before: their own words and mail on \(cases) case(s) checked again, "
                + "\(eventsRewritten) event(s) and \(rowsRewritten) other row(s) erased now; the database file was rebuilt (VACUUM) to clear its free space\n"
                + "not checked: the customer's name, email, phone and account are no longer known to CaseDesk, so the file could not be scanned for them"
        }
        var lines = ["erased customer #\(customerId): now \"\(tombstone)\"; \(cases) case(s) kept for the figures, "
                     + "\(eventsRewritten) event(s) and \(rowsRewritten) other row(s) rewritten"
                     + (rowsElsewhere > 0 ? ", \(rowsElsewhere) mention(s) in other customers' cases removed" : "")
                     + (attachmentFiles > 0 ? ", \(attachmentFiles) attachment file(s) deleted" : "")]
        if !openCases.isEmpty {
            lines.append("still open, now under the tombstone: " + openCases.map { "#\($0)" }.joined(separator: ", "))
        }
        if trainingCopies.isEmpty {
            lines.append("training copies: none recorded from this customer's cases")
        } else {
            lines.append("training copies made from this customer's cases (genericized when made: no name, email, phone or account was copied): "
                         + trainingCopies.joined(separator: ", "))
        }
        if traces.isEmpty {
            lines.append("checked: the customer's name, email, phone and account appear nowhere in the database file" + (walTruncated ? " or its WAL" : ""))
        } else {
            lines.append("WARNING: a trace remains in " + traces.joined(separator: ", ")
                         + (compacted ? "" : " (free space left by deletions made before this version; run the erase again with --compact to rebuild the file)"))
        }
        if compacted { lines.append("the database file was rebuilt (VACUUM) to clear free space") }
        if !walTruncated { lines.append("note: the WAL could not be emptied while desks were reading; run `casedesk doctor` later to check again") }
        return lines.joined(separator: "\n")
    }
}

/// A customer's personal data: erasure (the one sanctioned rewrite of the append-only
/// events) and the hook through which every rewrite keeps derived data in step.
public enum PersonalData {
    /// Called inside the transaction of every erasure and retention purge, after the rows
    /// changed, with the cases whose rows were rewritten or deleted (a purged case no longer
    /// exists and must lose its derived rows): derived data (the full-text search index) is
    /// re-derived here, and only here.
    static func afterRewrite(caseIds: [Int64], customerIds: [Int64] = [], compactSearch: Bool = false, db: Database) throws {
        for id in caseIds { try SearchIndex.refresh(caseId: id, in: db) }
        for id in customerIds { try SearchIndex.refreshCustomer(id: id, in: db) }
        // FTS5 keeps a deleted document's tokens in its segments until they merge: an
        // erasure merges them now, so no trace of the words stays in the file.
        if compactSearch { try SearchIndex.optimize(in: db) }
    }

    /// Event kinds whose body is the customer's own words (what they wrote, said on a call,
    /// said in a role-play, opened the case with): removed whole, not scrubbed.
    static let ownWords: Set<String> = ["message", "call", "customer_line", "created"]
    /// The table of mail kept as it arrived (a BLOB: nothing to scrub): a row that mentions
    /// the customer, or was filed to one of their cases, is their own mail and is deleted.
    static let ownMail = "mail_quarantine"
    /// Event kinds whose old/new values are codes or logins, never free text.
    static let structural: Set<String> = ["assign", "status", "call_type", "priority", "csat", "erasure"]
    /// Columns that hold codes, never free text; left as they are.
    /// Columns that hold codes, ids, hashes and paths rather than what a person wrote: the
    /// scrubber's "other number" rule would corrupt them (a hash or a path with eight digits).
    static let codeColumns: Set<String> = ["kind", "channel", "field", "call_type", "status", "resolution_code", "operation", "session", "path",
                                           "output", "sha256", "content_type", "external_id", "message_id", "direction"]

    /// Files (the database and its WAL) whose raw bytes still contain one of `identifiers`.
    public static func traces(in path: String, identifiers: [String]) -> [String] {
        let needles = Set(identifiers.filter { $0.utf8.count >= 3 }.flatMap { [$0, $0.lowercased(), $0.uppercased()] }).map { Array($0.utf8) }
        var found: [String] = []
        for file in [path, path + "-wal"] {
            guard let handle = FileHandle(forReadingAtPath: file) else { continue }
            defer { try? handle.close() }
            let overlap = (needles.map(\.count).max() ?? 0)
            var carry: [UInt8] = []
            scanning: while let chunk = try? handle.read(upToCount: 8 << 20), !chunk.isEmpty {
                let buffer = carry + [UInt8](chunk)
                for n in needles {
                    let hit = buffer.withUnsafeBytes { b in n.withUnsafeBytes { nb in memmem(b.baseAddress, b.count, nb.baseAddress, nb.count) } }
                    if hit != nil { found.append((file as NSString).lastPathComponent); break scanning }
                }
                carry = Array(buffer.suffix(overlap))
            }
        }
        return found
    }
}

extension CaseStore {
    /// Erases a customer's personal data everywhere it lives and leaves the cases' shape
    /// (call type, times, resolution, CSAT) under a tombstone, so every figure is unchanged.
    /// Admins only; one IMMEDIATE transaction; an `erasure` event on each case says who, when
    /// and why (never what). Deleted bytes are overwritten (secure_delete), the WAL emptied,
    /// and the file then scanned byte by byte for what was removed.
    public func eraseCustomer(_ customerId: Int64, reason rawReason: String, by login: String, compact: Bool = false) throws -> ErasureReport {
        let reasonText = rawReason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reasonText.isEmpty else { throw CaseError.invalid("an erasure needs a reason (--reason TEXT); nothing was changed") }
        if compact, try read({ db in try String.fetchOne(db, sql: "SELECT name FROM customers WHERE id = ?", arguments: [customerId]) }) == "erased customer #\(customerId)" {
            return try eraseAgain(customerId, reasonLength: reasonText.count, by: login)
        }
        let at = now()
        let tombstone = "erased customer #\(customerId)"
        // Found without the lock: rows of other customers' cases (or anywhere else) that name
        // this customer. The write below rewrites them and re-checks its own cases.
        let (person, elsewhere) = try read { db -> (Row, [(String, Int64)]) in
            _ = try Self.requireAdmin(db, login: login)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE id = ?", arguments: [customerId]) else {
                throw CaseError.invalid("no customer #\(customerId); nothing was changed")
            }
            if (row["name"] as String?) == tombstone {
                throw CaseError.invalid("customer #\(customerId) is already erased; nothing was changed" + (compact ? "" : " (to clear old free space too, run: casedesk customer erase \(customerId) --compact --reason …)"))
            }
            return (row, try Self.mentions(db, of: Self.strongIdentifiers(row), excludingCustomer: customerId))
        }
        let identifiers = Self.strongIdentifiers(person)
        var scrubber = TextScrubber()
        let name: String = person["name"] ?? ""
        scrubber.addName(name, full: tombstone, parts: TextScrubber.nameParts(name).map { _ in "[erased]" }, owner: customerId, kind: "name")
        if let e = person["email"] as String?, !e.isEmpty { scrubber.addEmail(e, replacement: "[email erased]") }
        if let p = person["phone"] as String?, !p.isEmpty { scrubber.addPhone(p, replacement: "[phone erased]") }
        if let a = person["account"] as String?, !a.isEmpty { scrubber.addAccount(a, replacement: "[account erased]") }
        if let ad = person["address"] as String?, !ad.isEmpty { scrubber.addLiteral(ad, replacement: "[address erased]", kind: "address") }
        scrubber.prepare()
        let reason = scrubber.scrub(reasonText, owner: customerId)

        var report = ErasureReport(customerId: customerId, tombstone: tombstone)
        var files = Set<String>()
        try pool.writeWithoutTransaction { db in
            // Every connection runs with secure_delete on (CaseStore): rewritten cells and freed
            // pages are zeroed, not just unlinked.
            try db.inTransaction(.immediate) {
                let admin = try Self.requireAdmin(db, login: login)
                try db.execute(sql: "INSERT INTO event_rewrite_permits(operation) VALUES ('erasure')")
                let caseIds = try Int64.fetchAll(db, sql: "SELECT id FROM cases WHERE customer_id = ? ORDER BY id", arguments: [customerId])
                report.cases = caseIds.count
                report.openCases = try Int64.fetchAll(db, sql: "SELECT id FROM cases WHERE customer_id = ? AND \(Schema.openStatuses) ORDER BY id",
                                                      arguments: [customerId])
                let list = caseIds.map(String.init).joined(separator: ",")
                if !caseIds.isEmpty {
                    // The bytes of what they sent go; the rows stay listed (sizes, types) as erased.
                    files = try Self.attachmentFiles(db, caseIds: list)
                    try db.execute(sql: "UPDATE attachments SET sha256 = NULL, note = 'erased with the customer' WHERE case_id IN (\(list))")
                    report.eventsRewritten = try Self.eraseEvents(db, cases: list, scrubber: &scrubber, owner: customerId)
                    report.rowsRewritten = try Self.eraseOwnMail(db, cases: list)
                    report.rowsRewritten += try Self.rewriteRows(db, where: { table, columns in
                        table == "cases" ? "id IN (\(list))" : columns.contains("case_id") && table != "events" ? "case_id IN (\(list))" : nil
                    }, scrubber: &scrubber, owner: customerId)
                    report.trainingCopies = try String.fetchAll(db, sql: "SELECT DISTINCT output FROM training_copies WHERE case_id IN (\(list)) ORDER BY output")
                }
                var touched = Set(caseIds)
                for (table, rowid) in elsewhere {
                    if table == PersonalData.ownMail {
                        try db.execute(literal: "DELETE FROM \(identifier: table) WHERE rowid = \(rowid)")
                        report.rowsElsewhere += db.changesCount
                        continue
                    }
                    if try Self.replaceLiterals(db, table: table, rowid: rowid, identifiers: identifiers, tombstone: tombstone) {
                        report.rowsElsewhere += 1
                        if table == "events" || table == "cases",
                           let id = try Int64.fetchOne(db, sql: "SELECT \(table == "cases" ? "id" : "case_id") FROM \(table) WHERE rowid = ?", arguments: [rowid]) {
                            touched.insert(id)
                        }
                    }
                }
                try db.execute(sql: "UPDATE customers SET name = ?, email = NULL, phone = NULL, account = NULL, address = NULL, language = NULL WHERE id = ?",
                               arguments: [tombstone, customerId])
                for id in caseIds {
                    try Self.append(db, caseId: id, actor: admin.id, at: at, EventDraft(kind: .erasure, body: reason))
                }
                try PersonalData.afterRewrite(caseIds: touched.union(caseIds).sorted(), customerIds: [customerId], compactSearch: true, db: db)
                let summary = "erased customer #\(customerId): \(report.cases) case(s), \(report.eventsRewritten) event(s) and \(report.rowsRewritten + report.rowsElsewhere) other row(s) rewritten; reason: \(reason)"
                try Self.recordOperation(db, kind: "erasure", actor: admin.login, summary: summary, at: at)
                try db.execute(sql: "DELETE FROM event_rewrite_permits")
                return .commit
            }
            // The WAL still holds the pages as they were before: empty it.
            let result = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            report.walTruncated = (result?[0] as Int?) == 0
        }
        report.attachmentFiles = try removeAttachmentFiles(files)
        report.traces = PersonalData.traces(in: path, identifiers: identifiers)
        if !report.traces.isEmpty && compact {
            try compactFile()
            report.compacted = true
            report.traces = PersonalData.traces(in: path, identifiers: identifiers)
        }
        operationsLog.info("erasure by \(login): customer #\(customerId), \(report.cases) case(s); reason: \(reason)")
        if !report.traces.isEmpty {
            operationsLog.error("erasure of customer #\(customerId): a trace remains in \(report.traces.joined(separator: ", "))")
        }
        return report
    }

    /// A customer erased before (perhaps by an older casedesk, which kept some of their words):
    /// what needs no knowledge of their details is done again on their cases, then the file is
    /// rebuilt. Their name, email, phone and account are gone from the database, so the file
    /// cannot be scanned for them: the report says so instead of claiming it was checked.
    func eraseAgain(_ customerId: Int64, reasonLength: Int, by login: String) throws -> ErasureReport {
        var report = ErasureReport(customerId: customerId, tombstone: "erased customer #\(customerId)")
        report.erasedBefore = true
        try write { db in
            let admin = try Self.requireAdmin(db, login: login)
            let caseIds = try Int64.fetchAll(db, sql: "SELECT id FROM cases WHERE customer_id = ? ORDER BY id", arguments: [customerId])
            report.cases = caseIds.count
            if !caseIds.isEmpty {
                let list = caseIds.map(String.init).joined(separator: ",")
                try db.execute(sql: "INSERT INTO event_rewrite_permits(operation) VALUES ('erasure')")
                let kinds = PersonalData.ownWords.sorted().map { "'\($0)'" }.joined(separator: ",")
                try db.execute(sql: "UPDATE events SET body = '[erased]' WHERE case_id IN (\(list)) AND kind IN (\(kinds)) AND body IS NOT NULL AND body != '[erased]'")
                report.eventsRewritten = db.changesCount
                try db.execute(sql: "DELETE FROM event_rewrite_permits")
                report.rowsRewritten = try Self.eraseOwnMail(db, cases: list)
                try PersonalData.afterRewrite(caseIds: caseIds, compactSearch: true, db: db)
            }
            try Self.recordOperation(db, kind: "erasure", actor: admin.login, summary:
                "customer #\(customerId) (erased before): \(report.eventsRewritten) event(s) and \(report.rowsRewritten) other row(s) erased again; file rebuilt", at: now())
        }
        try compactFile()
        report.compacted = true
        operationsLog.info("erasure by \(login): customer #\(customerId) (erased before): \(report.eventsRewritten) event(s) and \(report.rowsRewritten) other row(s) erased again, database file rebuilt; reason: \(reasonLength) characters")
        return report
    }

    /// The customer's mail as it came in: the whole text of what they sent (like their message
    /// events) is blanked, and quarantined mail filed to their cases is deleted.
    static func eraseOwnMail(_ db: Database, cases list: String) throws -> Int {
        try db.execute(sql: "UPDATE channel_messages SET full_text = '[erased]' WHERE case_id IN (\(list)) AND direction = 'in' AND full_text IS NOT NULL AND full_text != '[erased]'")
        let blanked = db.changesCount
        try db.execute(literal: "DELETE FROM \(identifier: PersonalData.ownMail) WHERE filed_case_id IN (\(sql: list))")
        return blanked + db.changesCount
    }

    /// Rebuilds the file (VACUUM), clearing free space left by deletions made before every
    /// connection zeroed what it freed. Holds the write lock while it runs.
    func compactFile() throws {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM")
            _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// Name, email, phone and account: what must appear nowhere after an erasure.
    static func strongIdentifiers(_ person: Row) -> [String] {
        ["name", "email", "phone", "account"].compactMap { person[$0] as String? }.filter { $0.count >= 3 }
    }

    /// (table, rowid) of rows outside the customer's own cases whose text holds an identifier.
    static func mentions(_ db: Database, of identifiers: [String], excludingCustomer id: Int64) throws -> [(String, Int64)] {
        guard !identifiers.isEmpty else { return [] }
        var out: [(String, Int64)] = []
        // BLOB columns too (mail kept as it arrived), read as text.
        for (table, columns) in try textColumns(db, blobs: true) where table != "customers" {
            let tests = columns.flatMap { c in identifiers.map { i -> SQL in "instr(lower(CAST(\(identifier: c) AS TEXT)), \(i.lowercased())) > 0" } }
            var query: SQL = "SELECT rowid FROM \(identifier: table) WHERE (\(tests.joined(separator: " OR ")))"
            if table == "cases" { query += " AND customer_id != \(String(id))" }
            else if table == "events" { query += " AND case_id NOT IN (SELECT id FROM cases WHERE customer_id = \(String(id)))" }
            out += try Int64.fetchAll(db, SQLRequest(literal: query)).map { (table, $0) }
        }
        return out
    }

    /// Ordinary tables (not virtual, not a virtual table's shadow) and their free-text columns
    /// (and BLOB columns with `blobs`).
    static func textColumns(_ db: Database, blobs: Bool = false) throws -> [(String, [String])] {
        let virtuals = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
            .filter { t in !virtuals.contains { t.hasPrefix($0 + "_") } && t != "event_rewrite_permits" }
        return try tables.compactMap { table in
            let columns = try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info(?)", arguments: [table])
                .filter { row in
                    let type = (row["type"] as String).uppercased()
                    return (type.contains("TEXT") || blobs && type.contains("BLOB")) && !PersonalData.codeColumns.contains(row["name"])
                }
                .map { $0["name"] as String }
            return columns.isEmpty ? nil : (table, columns)
        }
    }

    /// The customer's own words go; everything else said on their cases is scrubbed.
    static func eraseEvents(_ db: Database, cases list: String, scrubber: inout TextScrubber, owner: Int64) throws -> Int {
        var changed = 0
        for row in try Row.fetchAll(db, sql: "SELECT id, kind, old_value, new_value, body FROM events WHERE case_id IN (\(list))") {
            let kind: String = row["kind"]
            let old: String? = row["old_value"], new: String? = row["new_value"], body: String? = row["body"]
            let newBody = PersonalData.ownWords.contains(kind) ? body.map { _ in "[erased]" } : body.map { scrubber.scrub($0, owner: owner) }
            let free = !PersonalData.structural.contains(kind)
            let newOld = free ? old.map { scrubber.scrub($0, owner: owner) } : old
            let newNew = free ? new.map { scrubber.scrub($0, owner: owner) } : new
            guard newBody != body || newOld != old || newNew != new else { continue }
            try db.execute(sql: "UPDATE events SET body = ?, old_value = ?, new_value = ? WHERE id = ?",
                           arguments: [newBody, newOld, newNew, row["id"] as Int64])
            changed += 1
        }
        return changed
    }

    /// Scrubs every free-text column of the rows `condition` picks in each ordinary table.
    static func rewriteRows(_ db: Database, where condition: (String, [String]) -> String?, scrubber: inout TextScrubber, owner: Int64) throws -> Int {
        var changed = 0
        for (table, columns) in try textColumns(db) where table != "events" && table != "customers" {
            let all = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map { $0["name"] as String }
            guard let filter = condition(table, all) else { continue }
            let select = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: "SELECT rowid AS erasure_rowid, \(select) FROM \"\(table)\" WHERE \(filter)") {
                if try rewriteText(db, table: table, rowid: row["erasure_rowid"], row, columns, { scrubber.scrub($0, owner: owner) }) { changed += 1 }
            }
        }
        return changed
    }

    /// In a row outside the customer's cases, each identifier becomes the tombstone; nothing
    /// else in the row changes. Returns whether the row changed.
    static func replaceLiterals(_ db: Database, table: String, rowid: Int64, identifiers: [String], tombstone: String) throws -> Bool {
        guard let (_, columns) = try textColumns(db).first(where: { $0.0 == table }),
              let row = try Row.fetchOne(db, sql: "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \"\(table)\" WHERE rowid = ?", arguments: [rowid])
        else { return false }
        let longestFirst = identifiers.sorted { $0.count > $1.count }
        return try rewriteText(db, table: table, rowid: rowid, row, columns) { text in
            longestFirst.reduce(text) { $0.replacingOccurrences(of: $1, with: tombstone, options: [.caseInsensitive]) }
        }
    }

    /// Writes back the text columns of one row that `rewrite` changes; returns whether any did.
    static func rewriteText(_ db: Database, table: String, rowid: Int64, _ row: Row, _ columns: [String],
                            _ rewrite: (String) -> String) throws -> Bool {
        let sets = columns.compactMap { c -> SQL? in
            guard let old = row[c] as String? else { return nil }
            let new = rewrite(old)
            return new == old ? nil : "\(identifier: c) = \(new)"
        }
        guard !sets.isEmpty else { return false }
        try db.execute(literal: "UPDATE \(identifier: table) SET \(sets.joined(separator: ", ")) WHERE rowid = \(rowid)")
        return true
    }
}
