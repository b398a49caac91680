import Foundation

/// Who may run the channel commands, and what the gateway account may not do. The one
/// home of these rules, kept small so it can move into a central policy.
public enum GatewayRule {
    /// `casedesk mail …` and `casedesk ingest`: the gateway, or an admin by hand.
    public static func mayFile(_ user: User) -> Bool { user.role == .gateway || user.role == .admin }

    /// Everything else (the desk, cases, reports, settings) is for people, not the gateway.
    public static func mayUsePeopleCommands(_ user: User) -> Bool { user.role != .gateway }

    public static func requireMayFile(_ user: User) throws {
        guard mayFile(user) else {
            throw CaseError.notAllowed("\(user.login) is \(user.role == .agent || user.role == .admin || user.role == .expert ? "an" : "a") \(user.role.rawValue): only the gateway account (role gateway) or an admin files and sends channel mail")
        }
    }

    public static func refusal(_ user: User) -> String {
        "\(user.login) is the gateway account: it files, threads and sends contacts (casedesk mail, casedesk ingest) and nothing else"
    }
}
