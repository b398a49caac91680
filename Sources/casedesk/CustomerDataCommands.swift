import ArgumentParser
import CaseCore
import Foundation

/// `customer export`: everything held about one customer (a subject-access request).
struct CustomerExport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export",
        abstract: "Write everything held about a customer as JSON (admins).")
    enum Format: String, ExpressibleByArgument, CaseIterable { case json }
    @Argument(help: "The customer's id.") var id: Int64
    @Option var format: Format = .json
    @OptionGroup var store: StoreOptions

    func run() throws {
        let s = try store.open(adminOnly: true)
        let export = try s.exportCustomer(id, by: store.login)
        print(try jsonString(export))
        s.operationsLog.info("customer export by \(store.login): customer #\(id), \(export.cases.count) case(s)")
    }
}

/// `customer erase`: the right to erasure.
struct CustomerErase: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "erase",
        abstract: "Erase a customer's personal data everywhere; keep the cases' figures (admins).",
        discussion: "Name, email, phone, account and address go from the customer record, from the customer's own messages and from every response, note and subject that mentions them; the cases stay (call type, times, resolution, CSAT) under \"erased customer #ID\". Each case gets an erasure event saying who, when and why.")
    @Argument(help: "The customer's id.") var id: Int64
    @Option(help: "Why (recorded in the erasure event; required).") var reason: String
    @Flag(help: "If a trace is still found in the file's free space, rebuild the file (VACUUM; holds the write lock meanwhile).") var compact = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let report = try store.open(adminOnly: true).eraseCustomer(id, reason: reason, by: store.login, compact: compact)
        print(report)
        if !report.traces.isEmpty { throw Failure("a trace of customer #\(id) remains in \(report.traces.joined(separator: ", ")) (see above)") }
    }
}
