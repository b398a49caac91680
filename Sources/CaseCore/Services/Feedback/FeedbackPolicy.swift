import Foundation

/// Who may record customer feedback and quality reviews: the one place these rules live.
public enum FeedbackPolicy {
    /// Survey results (CSAT after resolution) come in through leads and admins; an agent
    /// records the score the customer gives on the call with `case resolve --csat`.
    public static func mayRecordCSAT(_ role: Role) -> Bool { role == .lead || role == .admin }

    static func requireMayRecordCSAT(_ user: User) throws {
        guard mayRecordCSAT(user.role) else {
            throw CaseError.notAllowed("survey CSAT is recorded by leads and admins; \(user.login) is \(user.role == .agent ? "an agent" : "a \(user.role.rawValue)")")
        }
    }
}
