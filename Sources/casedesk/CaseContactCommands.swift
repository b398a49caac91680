import ArgumentParser
import CaseCore
import Foundation

/// `case contact|pending|priority|move`: the contact after the case was opened.
extension CaseCommand {
    struct Contact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The customer called back or replied: record what they said (reopens a pending or resolved case).")
        @OptionGroup var target: CaseTarget
        @Option(help: "phone, email, chat, web, ivr, mobile, retail or social.") var channel: Channel
        @Argument(help: "What the customer said.") var text: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try store.open().recordContact(target.id, text: text, channel: channel, by: store.login, expectedVersion: target.expectVersion)
        }
    }

    struct Pending: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait on the customer or a third party; with --until the case comes back to the top of its owner's queue then.")
        @OptionGroup var target: CaseTarget
        @Option(help: "The follow-up time: \(FollowUpTime.accepted), in the pack's time zone.") var until: String?
        @OptionGroup var store: StoreOptions
        func run() throws {
            let s = try store.open()
            let at = try until.map { try FollowUpTime.parse($0, now: Date(), zone: try s.businessZone()) }
            try s.setPending(target.id, until: at, by: store.login, expectedVersion: target.expectVersion)
        }
    }

    struct SetPriority: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "priority", abstract: "Set the priority by hand, with a reason (a later call type keeps it).")
        @OptionGroup var target: CaseTarget
        @Argument(help: "P1 (most urgent) to P4.") var priority: Priority
        @Option(help: "Why (written to the timeline).") var reason: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try store.open().setPriority(target.id, to: priority, reason: reason, by: store.login, expectedVersion: target.expectVersion)
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a case to another team's queue.")
        @OptionGroup var target: CaseTarget
        @Option var team: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try store.open().moveToTeam(target.id, team: team, by: store.login, expectedVersion: target.expectVersion)
        }
    }
}
