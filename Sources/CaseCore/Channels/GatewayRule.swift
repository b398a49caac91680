import Foundation

/// The channel commands as the policy (`Policy`, `fileContacts`) has them, and the one
/// rule the table cannot say: the gateway account runs no command but mail and ingest.
public enum GatewayRule {
    /// `casedesk mail …` and `casedesk ingest`: the gateway, or an admin by hand.
    public static func mayFile(_ user: User) -> Bool { Policy.allows(user, .fileContacts) }

    /// Everything else (the desk, cases, reports, settings) is for people, not the gateway.
    public static func mayUsePeopleCommands(_ user: User) -> Bool { user.role != .gateway }

    public static func requireMayFile(_ user: User) throws { try Policy.require(user, .fileContacts) }

    public static func refusal(_ user: User) -> String {
        "\(user.login) is the gateway account: it files, threads and sends contacts (casedesk mail, casedesk ingest) and nothing else"
    }
}
