// The mail gateway's figures: parsing alone, `mail fetch` of a 10,000-message Maildir
// (in this process, per message, and the real binary as a whole), the same database
// writes done with bare SQL beside it, and `mail deliver` of one message as a whole
// process (exec, open, parse, file, exit).
import CaseCore
import Foundation
import GRDB

/// Typical mail: a few KB; every third one multipart (plain + HTML, some with a small
/// attachment); some in Latin-1 quoted-printable; a quarter are replies by In-Reply-To.
func benchMessages(_ n: Int, prefix: String) -> [[UInt8]] {
    let paragraph = "Hello, I ordered a router last week and it still has not arrived. The tracking page says it left the depot on Tuesday, and nothing since. Could you check where it is and tell me when it will arrive? Thank you. "
    var out: [[UInt8]] = []
    out.reserveCapacity(n)
    for i in 0..<n {
        let body = String(repeating: paragraph, count: 3 + i % 8)
        var head = "From: Customer \(i) <customer\(i % 2_000)@example.com>\r\nTo: help@acme.example\r\nSubject: Where is order \(100_000 + i)?\r\n"
        head += "Date: Sun, 29 Nov 2026 09:00:00 +0000\r\nMessage-ID: <\(prefix)\(i)@example.com>\r\n"
        if i % 4 == 3 { head += "In-Reply-To: <\(prefix)\(i - 3)@example.com>\r\n" }
        let text: String
        switch i % 6 {
        case 0, 3:
            text = head + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\(i)\"\r\n\r\n--alt\(i)\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n--alt\(i)\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>\(body)</p>\r\n--alt\(i)--\r\n"
        case 1:
            text = head + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mix\(i)\"\r\n\r\n--mix\(i)\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n--mix\(i)\r\nContent-Type: application/pdf; name=\"receipt-\(i).pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\(TransferEncoding.base64Encode(Array("%PDF-1.4 receipt \(i) ".utf8) + [UInt8](repeating: UInt8(i % 251), count: 1_500)))\r\n--mix\(i)--\r\n"
        case 2:
            text = head + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe aus K=F6ln. \(body)\r\n"
        default:
            text = head + "Content-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n\r\nOn Monday, Acme Support wrote:\r\n> Thank you for your mail.\r\n> We will look into it.\r\n"
        }
        out.append(Array(text.utf8))
    }
    return out
}

func writeMaildir(_ messages: [[UInt8]], at dir: String) throws {
    for sub in ["new", "cur", "tmp"] { try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true) }
    for (i, m) in messages.enumerated() { try Data(m).write(to: URL(fileURLWithPath: String(format: "%@/new/%08d.bench", dir, i))) }
}

func runMailBench(store: CaseStore, path: String, report: (String, [Double], String) -> Void, note: (String, String) -> Void) throws {
    if (try? store.user(login: "mailgw")) == nil { try store.addUser(login: "mailgw", name: "Mail gateway", role: .gateway) }
    let n = 10_000
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-mailbench-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: work) }

    // Parsing alone (no database).
    // Message ids unique to this run, so a run on a database an earlier one filled files anew.
    let run = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
    let messages = benchMessages(n, prefix: "a\(run)-")
    let size = messages.reduce(0) { $0 + $1.count } / n
    var parse: [Double] = []
    for m in messages { parse.append(timed { _ = try? MailParser.parse(m) }) }
    report("mail: parse one message (no database)", parse, "\(grouped(Int(Double(n) / (parse.reduce(0, +) / 1000)))) messages/s; average \(grouped(size)) bytes")

    // mail fetch in this process: parse + thread + write + move to cur/, 100 messages per
    // transaction, so the time is taken per batch and divided by its size.
    try writeMaildir(messages, at: work + "/a")
    var perMessage: [Double] = []
    var last = now(), seen = 0
    let began = last
    let summary = try MaildirFetch.run(store: store, maildir: work + "/a", login: "mailgw") { _, _ in
        seen += 1
        if seen % MaildirFetch.batchSize == 0 {
            let t = now(); perMessage.append((t - last) * 1000 / Double(MaildirFetch.batchSize)); last = t
        }
    }
    let total = now() - began
    report("mail fetch · per message (batch time / 100), in process", perMessage,
           "\(grouped(Int(Double(n) / total))) messages/s; \(summary.opened) new cases, \(summary.filed - summary.opened) threaded")
    let p50 = perMessage.sorted()[perMessage.count / 2]
    note("mail: database share of a fetch", String(format: "≈ %.3f ms of the %.3f ms p50 per message (the rest is parsing and the Maildir move)",
                                                   p50 - parse.sorted()[n / 2], p50))

    // The same writes with bare SQL: customer, case, two events, the message row, one
    // IMMEDIATE transaction per message, prepared statements.
    var bare: [Double] = []
    try store.pool.writeWithoutTransaction { db in
        let customer = try db.makeStatement(sql: "INSERT INTO customers(name, email) VALUES (?, ?)")
        let insertCase = try db.makeStatement(sql: """
            INSERT INTO cases(customer_id, channel, subject, status, priority, created_at, due_at, updated_at) VALUES (?, 'email', ?, 'new', 3, ?, ?, ?)
            """)
        let event = try db.makeStatement(sql: "INSERT INTO events(case_id, at, kind, channel, new_value, body) VALUES (?, ?, ?, 'email', ?, ?)")
        let message = try db.makeStatement(sql: """
            INSERT INTO channel_messages(channel, external_id, case_id, event_id, direction, sender, subject, full_text, at) VALUES ('email', ?, ?, ?, 'in', ?, ?, ?, ?)
            """)
        for i in 0..<n {
            let at = Date().timeIntervalSince1970
            bare.append(try timed {
                try db.inTransaction(.immediate) {
                    try customer.execute(arguments: ["Bare \(i)", "bare\(i)@example.com"])
                    try insertCase.execute(arguments: [db.lastInsertedRowID, "Where is order \(i)?", at, at + 86_400, at])
                    let caseId = db.lastInsertedRowID
                    try event.execute(arguments: [caseId, at, "created", nil, "Where is order \(i)?"])
                    try event.execute(arguments: [caseId, at, "message", "Customer <bare\(i)@example.com>", String(repeating: "text ", count: 200)])
                    try message.execute(arguments: ["bare-\(run)-\(i)@example.com", caseId, db.lastInsertedRowID, "Customer", "Where is order \(i)?",
                                                    String(repeating: "text ", count: 200), at])
                    return .commit
                }
            })
        }
    }
    report("bare SQL: the same rows per message", bare, "\(grouped(Int(Double(n) / (bare.reduce(0, +) / 1000)))) messages/s, no parsing, no threading")

    // The real binary, as cron or a mail server runs it: the one built beside this program,
    // or `CASEDESK_BINARY` (the statically linked build the admin guide installs starts faster).
    let binary = ProcessInfo.processInfo.environment["CASEDESK_BINARY"]
        ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("casedesk").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        note("mail fetch / deliver · the binary", "skipped: no \(binary); build casedesk beside casedesk-bench (swift build -c release --product casedesk) or name one in CASEDESK_BINARY")
        return
    }
    try writeMaildir(benchMessages(n, prefix: "b\(run)-"), at: work + "/b")
    let t0 = now()
    let fetch = Process()
    fetch.executableURL = URL(fileURLWithPath: binary)
    fetch.arguments = ["mail", "fetch", "--maildir", work + "/b", "--quiet", "--db", path, "--as", "mailgw"]
    fetch.standardOutput = FileHandle.nullDevice
    try fetch.run(); fetch.waitUntilExit()
    let fetchSeconds = now() - t0
    note("mail fetch · the binary, 10,000 messages", String(format: "%@ messages/s (%.1f s, exit %d)", grouped(Int(Double(n) / fetchSeconds)), fetchSeconds, fetch.terminationStatus))

    var deliver: [Double] = [], cpu: [Double] = []
    func childCPU() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000 + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000
    }
    for (i, m) in benchMessages(200, prefix: "c\(run)-").enumerated() {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["mail", "deliver", "--db", path, "--as", "mailgw"]
        // Woken by the exit itself: Foundation's waitUntilExit polls its run loop every
        // 50 ms on Linux, which would be most of the figure.
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let t = now(), c = childCPU()
        try p.run()
        try input.fileHandleForWriting.write(contentsOf: Data(m))
        try input.fileHandleForWriting.close()
        exited.wait()
        deliver.append((now() - t) * 1000)
        cpu.append(childCPU() - c)
        if p.terminationStatus != 0 { fail("mail deliver \(i) exited \(p.terminationStatus)") }
    }
    report("mail deliver · one message, whole process", deliver, "exec + open + parse + file + exit, wall clock")
    report("mail deliver · CPU time of that process", cpu, "user + system: what it costs without waiting for a core")
}

/// `casedesk-bench --mail-only DB`: the mail figures alone, on a database an earlier
/// `--keep` run left (as `--claims-only` does for the claims).
func runMailOnlyIfAsked() {
    let args = CommandLine.arguments
    guard args.count == 3, args[1] == "--mail-only" else { return }
    func line(_ name: String, _ rest: String) { print(name.padding(toLength: 52, withPad: " ", startingAt: 0), rest) }
    do {
        try runMailBench(store: try CaseStore(path: args[2]), path: args[2], report: { name, values, note in
            let sorted = values.sorted()
            line(name, "\(ms(percentile(sorted, 0.5)))  \(ms(percentile(sorted, 0.99)))  \(note)")
        }, note: line)
        exit(0)
    } catch { fail("\(error)") }
}
