import Foundation
import GRDB

/// Which cases `train genericize` copies.
public struct GenericizeOptions: Sendable {
    public var callType: String?
    public var channel: Channel?
    public var since: Date?
    public var until: Date?
    public var caseIds: [Int64]?
    public var limit: Int?
    public init(callType: String? = nil, channel: Channel? = nil, since: Date? = nil, until: Date? = nil,
                caseIds: [Int64]? = nil, limit: Int? = nil) {
        self.callType = callType; self.channel = channel; self.since = since; self.until = until
        self.caseIds = caseIds; self.limit = limit
    }
}

public struct GenericizeSummary: Sendable, CustomStringConvertible {
    public var output: String
    public var cases = 0
    public var events = 0
    public var customers = 0
    public var staff: [String: Int] = [:]
    public var replacements: [String: Int] = [:]
    /// Source case id → training case id, for the trainer's own notes (never stored).
    public var caseMap: [(Int64, Int64)] = []
    /// Source customer id → training customer id (never stored or printed).
    var customerMap: [Int64: Int64] = [:]

    public var description: String {
        var lines = ["created training database \(output): \(cases) case(s), \(events) event(s)"]
        lines.append("customers: \(customers) replaced by pseudonyms (name, email, phone, account, address)")
        if !staff.isEmpty {
            lines.append("staff: " + staff.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)(s)" }.joined(separator: ", ") + " replaced by role labels")
        }
        if !replacements.isEmpty {
            lines.append("in free text: " + replacements.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        if !caseMap.isEmpty {
            let shown = caseMap.prefix(20).map { "#\($0.0)→#\($0.1)" }.joined(separator: " ")
            lines.append("cases: \(shown)\(caseMap.count > 20 ? " … (\(caseMap.count - 20) more)" : "")")
        }
        return lines.joined(separator: "\n")
    }
}

/// Turns real cases into case studies: copies chosen cases into a new training database and
/// replaces every identifying detail with a consistent pseudonym. The source is opened
/// read-only; the output is built under a temporary name, checked for leaks, then put in place
/// so a failed run leaves nothing behind.
public enum Genericizer {
    /// `admin` (the login making it) becomes the training database's first admin.
    public static func run(from source: String, to output: String, options: GenericizeOptions = GenericizeOptions(),
                           now: Date = Date(), admin: String? = nil) throws -> GenericizeSummary {
        let fm = FileManager.default
        guard fm.fileExists(atPath: source) else { throw CaseError.invalid("no database at \(source)") }
        guard !fm.fileExists(atPath: output) else { throw CaseError.alreadyExists("\(output) (genericize writes a new training database; pick another name)") }
        let src = try openReadOnly(source)
        let plan = try src.read { db in try Plan(db, options: options) }
        guard !plan.caseIds.isEmpty else { throw CaseError.invalid("no case in \(source) matches the filters; nothing was written") }

        var summary = GenericizeSummary(output: output)
        try NewDatabase.create(at: output, now: { now }) { store in
            try store.install(plan.pack)
            try store.setSetting("kind", "training")
            try store.setSetting("training_origin", "genericized \(plan.caseIds.count) case(s) on \(ISO8601DateFormatter().string(from: now))")
            var scrubber = plan.scrubber
            try src.read { sdb in
                try store.write { db in try copy(sdb, into: db, plan: plan, scrubber: &scrubber, summary: &summary) }
            }
            summary.replacements = scrubber.counts
            if let admin, (try? store.user(login: admin)) == nil {
                try store.addUser(login: admin, role: .admin, department: "administration")
            }
            // The promise is checked, not assumed: no copied customer's details may remain.
            let found = try leaks(in: store.pool, identifiers: plan.identifiers)
                + numberLeaks(in: store.pool, cases: summary.caseMap, customers: summary.customerMap)
            if let first = found.first {
                throw CaseError.invalid("genericize stopped: '\(first.identifier)' still appears in \(first.table).\(first.column); nothing was written")
            }
        }
        TrainingCopies.record(source: source, output: output, caseIds: plan.caseIds, at: now)
        return summary
    }

    static func openReadOnly(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        do {
            let q = try DatabaseQueue(path: path, configuration: config)
            let version = try q.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
            guard version > 0 else { throw CaseError.notADatabase(path) }
            if version > Schema.version { throw CaseError.schemaTooNew(found: version, supported: Schema.version) }
            return q
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw CaseError.notADatabase(path)
        }
    }

    // MARK: what to copy, and the pseudonyms

    struct Plan {
        var caseIds: [Int64] = []
        var pack = ContentPack()
        var customerMap: [Int64: Int64] = [:]          // filled while copying
        var pseudonyms: [Int64: PseudoCustomer] = [:]   // source customer id
        var staff: [Int64: (login: String, name: String, role: String)] = [:]
        var scrubber = TextScrubber()
        var identifiers: [String] = []

        init(_ db: Database, options o: GenericizeOptions) throws {
            var query: SQL = "SELECT id FROM cases WHERE 1"
            if let ct = o.callType { query += " AND (call_type = \(ct) OR call_type LIKE \(ct + ".%"))" }
            if let ch = o.channel { query += " AND channel = \(ch.rawValue)" }
            if let since = o.since { query += " AND created_at >= \(since.timeIntervalSince1970)" }
            if let until = o.until { query += " AND created_at < \(until.timeIntervalSince1970)" }
            if let ids = o.caseIds, !ids.isEmpty { query += " AND id IN \(ids)" }
            query += " ORDER BY id DESC"
            if let limit = o.limit { query += " LIMIT \(limit)" }
            caseIds = try Int64.fetchAll(db, SQLRequest(literal: query)).reversed()
            pack = ContentPack(callTypes: try CaseStore.callTypes(db), resolutionCodes: try CaseStore.resolutionCodes(db),
                               scripts: try String.fetchAll(db, sql: "SELECT body FROM scripts ORDER BY call_type").map(CaseStore.decodeScript),
                               scorecards: try String.fetchAll(db, sql: "SELECT body FROM scorecards ORDER BY id").map {
                                   try JSONDecoder().decode(Scorecard.self, from: Data($0.utf8))
                               },
                               businessHours: try CaseStore.businessHours(db))

            // Every customer in the source is known to the scrubber (a note may name another
            // customer), but only the copied cases' customers are written out.
            let customers = try Row.fetchAll(db, sql: "SELECT id, name, email, phone, account, address FROM customers ORDER BY id")
            let sourceTokens = Set(customers.flatMap { row -> [String] in
                TextScrubber.nameParts(row["name"] as String? ?? "").map { $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
            })
            var names = PseudonymPool(avoiding: sourceTokens)
            // Pseudonyms in a random order with random numbers: nothing in them leads back
            // to the customer's id or to their place in the customer table.
            let slots = Array(0..<customers.count).shuffled()
            var numbers = PseudonymNumbers()
            for (position, row) in customers.enumerated() {
                let id: Int64 = row["id"]
                let name: String = row["name"] ?? ""
                let p = names.next(index: slots[position], number: numbers.draw(avoiding: id))
                pseudonyms[id] = p
                let parts = TextScrubber.nameParts(name)
                let compactUnspaced = parts.count == 2 && !name.contains(" ")
                let partRepl = parts.enumerated().map { i, _ in compactUnspaced ? (i == 0 ? p.last : p.first) : (i == 0 ? p.first : p.last) }
                scrubber.addName(name, full: p.name, parts: partRepl, owner: id, kind: "customer name")
                if let e = row["email"] as String?, !e.isEmpty { scrubber.addEmail(e, replacement: p.email) }
                if let ph = row["phone"] as String?, !ph.isEmpty { scrubber.addPhone(ph, replacement: p.phone) }
                if let a = row["account"] as String?, !a.isEmpty { scrubber.addAccount(a, replacement: p.account) }
                if let ad = row["address"] as String?, ad.contains(where: \.isNumber) { scrubber.addLiteral(ad, replacement: p.address, kind: "address") }
            }

            // Staff on the copied cases become role labels: Agent 1, Lead 1 …
            let idList = caseIds.map(String.init).joined(separator: ",")
            let staffIds = try Int64.fetchAll(db, sql: """
                SELECT assignee_id FROM cases WHERE id IN (\(idList)) AND assignee_id IS NOT NULL
                UNION SELECT updated_by FROM cases WHERE id IN (\(idList)) AND updated_by IS NOT NULL
                UNION SELECT actor_id FROM events WHERE case_id IN (\(idList)) AND actor_id IS NOT NULL
                UNION SELECT user_id FROM work_intervals WHERE case_id IN (\(idList))
                UNION SELECT user_id FROM rule_flags WHERE case_id IN (\(idList))
                UNION SELECT from_id FROM consults WHERE case_id IN (\(idList))
                UNION SELECT expert_id FROM consults WHERE case_id IN (\(idList))
                """)
            var perRole: [String: Int] = [:]
            // Every person is known to the scrubber; those on the copied cases get labels in id order.
            let people = try Row.fetchAll(db, sql: "SELECT id, login, name, role FROM users ORDER BY id")
            for row in people {
                let id: Int64 = row["id"], role: String = row["role"], login: String = row["login"], name: String = row["name"]
                let n = (perRole[role] ?? 0) + 1
                perRole[role] = n
                let label = role.prefix(1).uppercased() + role.dropFirst() + " \(n)"
                if staffIds.contains(id) { staff[id] = (role + String(n), label, role) }
                scrubber.addName(name, full: label, parts: TextScrubber.nameParts(name).map { _ in label }, owner: nil, kind: "staff name")
                scrubber.addName(login, full: role + String(n), parts: [], owner: nil, kind: "staff login")
            }
            scrubber.prepare()

            // What must not survive: the copied cases' customers' identifiers.
            let copied = Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT customer_id FROM cases WHERE id IN (\(idList))"))
            for row in customers where copied.contains(row["id"]) {
                for key in ["name", "email", "phone", "account"] {
                    if let v = row[key] as String?, v.count >= 3 { identifiers.append(v) }
                }
            }
        }
    }

    struct PseudoCustomer { var first, last, name, email, phone, account, address: String }

    /// Invented names, skipping any that match a part of a real customer's name.
    struct PseudonymPool {
        static let first = ["Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Harper", "Jordan", "Kendall", "Logan",
                            "Marlow", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Rowan", "Sage", "Skyler", "Tatum",
                            "Umber", "Vale", "Wren", "Yael", "Zephyr", "Arden", "Bellamy", "Corin", "Dallas", "Ellis"]
        static let last = ["Ashdown", "Brightwater", "Copperfield", "Dunmore", "Elmsworth", "Fairbrook", "Greystone", "Hollowell",
                           "Ironside", "Juniper", "Kestrel", "Larkspur", "Marlowe", "Northcott", "Oakhurst", "Pemberton",
                           "Quillfeather", "Ravensworth", "Silverton", "Thornbury", "Underhill", "Westmoor", "Yarrow", "Zellwood"]
        var firsts: [String], lasts: [String]
        init(avoiding tokens: Set<String>) {
            func ok(_ s: String) -> Bool { !tokens.contains(s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)) }
            firsts = Self.first.filter(ok); lasts = Self.last.filter(ok)
        }
        /// Walks the grid diagonally so neighbours differ in both names.
        func next(index i: Int, number n: Int) -> PseudoCustomer {
            let f = firsts[i % firsts.count]
            let l = lasts[(i + i / firsts.count) % lasts.count]
            let round = i / (firsts.count * lasts.count)
            let last = round == 0 ? l : "\(l)-\(round + 1)"
            return PseudoCustomer(first: f, last: last, name: "\(f) \(last)",
                                  email: "\(f.lowercased()).\(last.lowercased())\(n)@example.invalid",
                                  phone: String(format: "+00 555 %03d %04d", n / 10000, n % 10000),
                                  account: String(format: "TR-%06d", n), address: "\(n % 1000) Example Street, Sampletown")
        }
    }

    // MARK: copying

    static func copy(_ s: Database, into d: Database, plan: Plan, scrubber: inout TextScrubber, summary: inout GenericizeSummary) throws {
        var users: [Int64: Int64] = [:]
        for (id, u) in plan.staff.sorted(by: { $0.key < $1.key }) {
            try d.execute(sql: "INSERT INTO users(login, name, role, department) VALUES (?,?,?,?)",
                          arguments: [u.login, u.name, u.role, u.role == "expert" ? "outside customer care" : "customer care"])
            users[id] = d.lastInsertedRowID
            summary.staff[u.role, default: 0] += 1
        }
        let loginMap = Dictionary(uniqueKeysWithValues: try Row.fetchAll(s, sql: "SELECT id, login FROM users").compactMap { row -> (String, String)? in
            guard let u = plan.staff[row["id"]] else { return nil }
            return (row["login"], u.login)
        })
        var customers: [Int64: Int64] = [:]
        func customer(_ id: Int64) throws -> Int64 {
            if let c = customers[id] { return c }
            let p = plan.pseudonyms[id]!
            let lang = try String.fetchOne(s, sql: "SELECT language FROM customers WHERE id = ?", arguments: [id])
            try d.execute(sql: "INSERT INTO customers(name, email, phone, account, language, address) VALUES (?,?,?,?,?,?)",
                          arguments: [p.name, p.email, p.phone, p.account, lang, p.address])
            customers[id] = d.lastInsertedRowID
            summary.customerMap[id] = d.lastInsertedRowID
            return d.lastInsertedRowID
        }
        // The training database is new: its cases are numbered 1, 2, … in copy order, so every
        // copied case's number can be replaced in the text before it is written.
        let numbers = Dictionary(uniqueKeysWithValues: plan.caseIds.enumerated().map { ($1, Int64($0 + 1)) })
        func text(_ v: String?, owner: Int64) -> String? {
            v.map { CaseNumbers.replace(in: scrubber.scrub($0, owner: owner), numbers) }
        }
        for caseId in plan.caseIds {
            guard let c = try Row.fetchOne(s, sql: "SELECT * FROM cases WHERE id = ?", arguments: [caseId]) else { continue }
            let owner: Int64 = c["customer_id"]
            let newCustomer = try customer(owner)
            try d.execute(sql: """
                INSERT INTO cases(customer_id, channel, call_type, subject, status, priority, assignee_id, team_id, created_at,
                                  first_response_at, due_at, resolved_at, resolution_code, csat, self_service, version, updated_at, updated_by)
                VALUES (?,?,?,?,?,?,?,NULL,?,?,?,?,?,?,?,?,?,?)
                """, arguments: [newCustomer, c["channel"], c["call_type"], text(c["subject"], owner: owner), c["status"],
                                 c["priority"], (c["assignee_id"] as Int64?).flatMap { users[$0] }, c["created_at"],
                                 c["first_response_at"], c["due_at"], c["resolved_at"], c["resolution_code"], c["csat"],
                                 c["self_service"], c["version"], c["updated_at"], (c["updated_by"] as Int64?).flatMap { users[$0] }])
            let newCase = d.lastInsertedRowID
            guard newCase == numbers[caseId] else { throw CaseError.invalid("genericize: the training database was not empty; nothing was written") }
            summary.caseMap.append((caseId, newCase))
            summary.cases += 1
            for e in try Row.fetchAll(s, sql: "SELECT * FROM events WHERE case_id = ? ORDER BY id", arguments: [caseId]) {
                let field: String? = e["field"], kind: String = e["kind"]
                // Logins stored as values (assignee, consulted expert) map exactly; everything else is scrubbed.
                let loginValued = field == "assignee" || (kind == "consult" && field == "expert")
                func value(_ v: String?) -> String? {
                    guard let v else { return nil }
                    return loginValued ? (loginMap[v] ?? text(v, owner: owner)) : text(v, owner: owner)
                }
                try d.execute(sql: """
                    INSERT INTO events(case_id, at, actor_id, kind, channel, field, old_value, new_value, body) VALUES (?,?,?,?,?,?,?,?,?)
                    """, arguments: [newCase, e["at"], (e["actor_id"] as Int64?).flatMap { users[$0] }, kind, e["channel"], field,
                                     value(e["old_value"]), value(e["new_value"]), text(e["body"], owner: owner)])
                summary.events += 1
            }
            try SearchIndex.refreshCustomer(id: newCustomer, in: d)
            try SearchIndex.refresh(caseId: newCase, in: d)
            for w in try Row.fetchAll(s, sql: "SELECT * FROM work_intervals WHERE case_id = ?", arguments: [caseId]) {
                guard let u = users[w["user_id"]] else { continue }
                try d.execute(sql: "INSERT INTO work_intervals(case_id, user_id, started_at, ended_at) VALUES (?,?,?,?)",
                              arguments: [newCase, u, w["started_at"], w["ended_at"]])
            }
            for f in try Row.fetchAll(s, sql: "SELECT * FROM rule_flags WHERE case_id = ?", arguments: [caseId]) {
                guard let u = users[f["user_id"]] else { continue }
                try d.execute(sql: "INSERT INTO rule_flags(case_id, user_id, at, rule, status, answer) VALUES (?,?,?,?,?,?)",
                              arguments: [newCase, u, f["at"], scrubber.scrub(f["rule"], owner: owner), f["status"],
                                          (f["answer"] as String?).map { scrubber.scrub($0, owner: owner) }])
            }
            for q in try Row.fetchAll(s, sql: "SELECT * FROM consults WHERE case_id = ?", arguments: [caseId]) {
                guard let from = users[q["from_id"]], let expert = users[q["expert_id"]] else { continue }
                try d.execute(sql: "INSERT INTO consults(case_id, from_id, expert_id, question, answer, asked_at, answered_at) VALUES (?,?,?,?,?,?,?)",
                              arguments: [newCase, from, expert, scrubber.scrub(q["question"], owner: owner),
                                          (q["answer"] as String?).map { scrubber.scrub($0, owner: owner) }, q["asked_at"], q["answered_at"]])
            }
        }
        summary.customers = customers.count
    }

    // MARK: the leak check

    public struct Leak: Equatable, Sendable {
        public var identifier: String
        public var table: String
        public var column: String
    }

    /// Every text column of every table, searched case-insensitively for each identifier.
    public static func leaks(in path: String, identifiers: [String]) throws -> [Leak] {
        try leaks(in: openReadOnly(path), identifiers: identifiers)
    }

    static func leaks(in reader: some DatabaseReader, identifiers: [String]) throws -> [Leak] {
        try reader.read { db in try leaks(db, identifiers: identifiers) }
    }

    /// Every table and text column of `db` holding one of `identifiers` (case-insensitive).
    static func leaks(_ db: Database, identifiers: [String]) throws -> [Leak] {
        let needles = Array(Set(identifiers.map { $0.lowercased() }.filter { !$0.isEmpty }))
        var found: [Leak] = []
        do {
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            for table in tables {
                for col in try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]) {
                    let column: String = col["name"]
                    let values = try String.fetchAll(db, sql: "SELECT \"\(column)\" FROM \"\(table)\" WHERE typeof(\"\(column)\") = 'text'")
                    guard !values.isEmpty else { continue }
                    // One blob per column and memmem per needle: thousands of needles stay cheap.
                    let blob = Array(values.joined(separator: "\u{1}").lowercased().utf8)
                    for n in needles {
                        let needle = Array(n.utf8)
                        let hit = blob.withUnsafeBytes { b in needle.withUnsafeBytes { nb in memmem(b.baseAddress, b.count, nb.baseAddress, nb.count) } }
                        if hit != nil { found.append(Leak(identifier: n, table: table, column: column)) }
                    }
                }
            }
            return found
        }
    }

    /// Names, emails, phones and account numbers of every customer in a database.
    public static func customerIdentifiers(in path: String) throws -> [String] {
        try openReadOnly(path).read { db in
            try Row.fetchAll(db, sql: "SELECT name, email, phone, account FROM customers").flatMap { row in
                ["name", "email", "phone", "account"].compactMap { row[$0] as String? }.filter { !$0.isEmpty }
            }
        }
    }
}

/// glibc's memmem (a GNU extension the Glibc module does not import): fast substring search
/// over bytes, for scanning whole columns at once.
@_silgen_name("memmem")
func memmem(_ haystack: UnsafeRawPointer?, _ haystackLength: Int, _ needle: UnsafeRawPointer?, _ needleLength: Int) -> UnsafeMutableRawPointer?
