import Foundation

/// Who may record customer feedback, score quality reviews and see them: the one place these rules live.
public enum FeedbackPolicy {
    /// Survey results (CSAT after resolution) come in through leads and admins; an agent
    /// records the score the customer gives on the call with `case resolve --csat`.
    public static func mayRecordCSAT(_ role: Role) -> Bool { role == .lead || role == .admin }

    /// Quality reviews are scored by leads, trainers (calibration) and admins.
    public static func mayReview(_ role: Role) -> Bool { role == .lead || role == .trainer || role == .admin }

    /// Who sees which reviews: reviewers see all; anyone else only the reviews of their own cases.
    public static func seesAllReviews(_ role: Role) -> Bool { mayReview(role) }

    static func requireMayReview(_ user: User) throws {
        guard mayReview(user.role) else {
            throw CaseError.notAllowed("quality reviews are scored by leads, trainers and admins; \(user.login) is \(user.role == .agent ? "an agent" : "a \(user.role.rawValue)")")
        }
    }

    static func requireMayRecordCSAT(_ user: User) throws {
        guard mayRecordCSAT(user.role) else {
            throw CaseError.notAllowed("survey CSAT is recorded by leads and admins; \(user.login) is \(user.role == .agent ? "an agent" : "a \(user.role.rawValue)")")
        }
    }
}
