import Foundation
import GRDB

/// How long resolved and closed cases are kept: `3y`, `18m` (months), `26w`, `90d`, or a
/// combination such as `1y6m`. Calendar units, counted back from now in UTC.
public struct RetentionPeriod: Equatable, Sendable, CustomStringConvertible {
    public var years = 0, months = 0, weeks = 0, days = 0
    public let text: String

    /// The setting name in a content pack (`retention: resolved_after:`) and in the database.
    public static let settingKey = "retention.resolved_after"

    public init?(_ text: String) {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        self.text = s
        var number = ""
        var seen = Set<Character>()
        var any = false
        for c in s {
            if c.isASCII, c.isNumber { number.append(c); continue }
            guard let n = Int(number), n > 0, n <= 1000, "ymwd".contains(c), !seen.contains(c) else { return nil }
            seen.insert(c)
            switch c {
            case "y": years = n
            case "m": months = n
            case "w": weeks = n
            default: days = n
            }
            number = ""
            any = true
        }
        guard any, number.isEmpty else { return nil }
    }

    public var description: String { text }

    /// The moment before which a case must have been resolved to go.
    public func cutoff(before now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let back = DateComponents(year: -years, month: -months, day: -(weeks * 7 + days))
        return calendar.date(byAdding: back, to: now) ?? now
    }

    public static let help = "a retention period is a number and a unit: 3y, 18m (months), 26w, 90d, or 1y6m"
}

/// What a retention run removed (or, in a dry run, would remove).
public struct RetentionReport: Sendable, CustomStringConvertible {
    public var period: String
    public var cutoff: Date
    public var dryRun: Bool
    public var cases = 0
    public var events = 0
    public var otherRows = 0
    /// Attachment files deleted: those of the purged cases no other row names, and any a day old that no row names.
    public var attachmentFiles = 0
    public var customers = 0
    /// Cases by month of creation (UTC), "2023-04" → count.
    public var byMonth: [String: Int] = [:]
    public var batches = 0
    /// The longest time one batch held the write lock, in milliseconds.
    public var longestBatchMs = 0.0
    /// How long the latest batch held it (for `afterBatch` watchers).
    public var lastBatchMs = 0.0
    /// How long each batch held it: the typical batch, beside the longest one.
    var batchMs: [Double] = []
    public var medianBatchMs: Double { batchMs.isEmpty ? 0 : batchMs.sorted()[batchMs.count / 2] }

    public var description: String {
        let day = ISO8601DateFormatter.string(from: cutoff, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        var lines = [dryRun
            ? "dry run: \(cases) case(s) resolved or closed before \(day) (older than \(period)) would be purged; nothing was changed"
            : "purged \(cases) case(s) resolved or closed before \(day) (older than \(period)): \(events) event(s), \(otherRows) other row(s), \(attachmentFiles) attachment file(s), \(customers) customer(s) left with no case"]
        if !dryRun && cases > 0 {
            lines.append("in \(batches) batch(es), each holding the write lock \(String(format: "%.1f", medianBatchMs)) ms (median), the longest \(String(format: "%.1f", longestBatchMs)) ms")
        }
        if !byMonth.isEmpty {
            lines.append("by month of creation:")
            for month in byMonth.keys.sorted() { lines.append("  \(month)  \(byMonth[month]!)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// Retention: resolved and closed cases older than the pack's limit are purged with
/// everything that hangs off them (events, work intervals, flags, consults, presence,
/// search entries), in small batches so desks stay live; customers left with no case go too.
extension CaseStore {
    /// Cases per retention batch: small enough that one batch holds the write lock a few
    /// milliseconds (docs/benchmarks.md).
    public static let retentionBatchSize = 10

    /// The period the database's pack sets, nil if none. A stored value that does not parse is an error.
    public func retentionPeriod() throws -> RetentionPeriod? {
        guard let text = try setting(RetentionPeriod.settingKey) else { return nil }
        guard let period = RetentionPeriod(text) else {
            throw CaseError.invalid("the pack's retention.resolved_after '\(text)' does not parse (\(RetentionPeriod.help))")
        }
        return period
    }

    /// Purges (or with `dryRun`, counts) the cases `period` (default: the pack's) says are due.
    /// Each batch is one short IMMEDIATE transaction that re-checks its cases; everything that
    /// needs no lock (choosing the cases, their attachment files, folding the WAL back into
    /// the file) happens between batches.
    public func runRetention(period explicit: RetentionPeriod? = nil, dryRun: Bool, by login: String,
                             batchSize: Int = CaseStore.retentionBatchSize, afterBatch: ((RetentionReport) -> Void)? = nil) throws -> RetentionReport {
        guard let period = try explicit ?? retentionPeriod() else {
            throw CaseError.invalid("no retention period is set: add 'retention: {resolved_after: 3y}' to the pack's calltypes.yaml and run scripts import, or pass --resolved-after")
        }
        let at = now()
        if !dryRun { _ = try read { db in try Self.requireAdmin(db, login: login) } }
        let cutoff = period.cutoff(before: at).timeIntervalSince1970
        var report = RetentionReport(period: period.text, cutoff: Date(timeIntervalSince1970: cutoff), dryRun: dryRun)
        // Chosen in one read (no lock); each batch checks again before it deletes.
        let candidates = try read { db in
            try Row.fetchAll(db, sql: "SELECT id, strftime('%Y-%m', created_at, 'unixepoch') AS month FROM cases WHERE \(RetentionBatch.due) ORDER BY id",
                             arguments: [cutoff])
        }
        if dryRun {
            report.cases = candidates.count
            for row in candidates { report.byMonth[row["month"], default: 0] += 1 }
            return report
        }
        let batch = try read { db in try RetentionBatch(db, size: max(1, batchSize)) }
        try pool.writeWithoutTransaction { db in try batch.prepare(db) }
        let checkpoints = try RetentionCheckpoints(path: path)
        var start = 0
        while start < candidates.count {
            let ids: [Int64] = candidates[start..<min(start + batch.size, candidates.count)].map { $0["id"] }
            start += batch.size
            // Read from a snapshot: a case the batch then keeps has its files kept too (see removeAttachmentFiles).
            let files = try read { db in try Self.attachmentFiles(db, caseIds: ids.map(String.init).joined(separator: ",")) }
            let began = BulkLoad.monotonicSeconds()
            try write { db in try batch.purge(ids, cutoff: cutoff, db: db, into: &report) }
            report.batches += 1
            report.lastBatchMs = (BulkLoad.monotonicSeconds() - began) * 1000
            report.longestBatchMs = max(report.longestBatchMs, report.lastBatchMs)
            report.batchMs.append(report.lastBatchMs)
            afterBatch?(report)
            report.attachmentFiles += try removeAttachmentFiles(files)
            checkpoints.afterBatch()
            usleep(500)   // let a desk's waiting write in between batches
        }
        report.attachmentFiles += try sweepAttachmentFiles()
        let months = report.byMonth.keys.sorted().map { "\($0): \(report.byMonth[$0]!)" }.joined(separator: ", ")
        let summary = "retention (resolved after \(period.text)): purged \(report.cases) case(s), \(report.events) event(s), \(report.otherRows) other row(s), \(report.attachmentFiles) attachment file(s), \(report.customers) customer(s); by month of creation: \(months.isEmpty ? "none" : months)"
        try write { db in try Self.recordOperation(db, kind: "retention", actor: login, summary: summary, at: at) }
        operationsLog.info("retention by \(login): \(summary)")
        return report
    }
}
