import ArgumentParser
import CaseCore
import Foundation

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retention",
        abstract: "Purge resolved and closed cases older than the pack's retention period.",
        subcommands: [Run.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Purge (admins) or, with --dry-run, list by month what would go.",
            discussion: "The period is the pack's 'retention: resolved_after:' (e.g. 3y), unless --resolved-after names one. Cases go with their events, work intervals, flags, consults and search entries, in small batches so desks stay live; customers left with no case go too.")
        @Flag(name: .customLong("dry-run"), help: "Say what would be purged, by month of creation; change nothing.") var dryRun = false
        @Option(name: .customLong("resolved-after"), help: "Use this period instead of the pack's (3y, 18m, 26w, 90d).",
                transform: retentionPeriod) var resolvedAfter: RetentionPeriod?
        @OptionGroup var store: StoreOptions

        func run() throws {
            print(try store.open(adminOnly: true).runRetention(period: resolvedAfter, dryRun: dryRun, by: store.login))
        }
    }
}
