import Foundation

/// Customer feedback and quality reviews, as the policy (`Policy`) has them: leads and
/// admins record survey CSAT; leads, trainers and admins score quality reviews (always as
/// themselves), calibrate, see the queue to review and every review; anyone else sees the
/// reviews of their own cases.
public enum FeedbackPolicy {
    public static func mayRecordCSAT(_ role: Role) -> Bool { Policy.table[.recordSurvey]?[role] != nil }
    public static func mayReview(_ role: Role) -> Bool { Policy.table[.reviewQuality]?[role] != nil }
    public static func seesAllReviews(_ role: Role) -> Bool { mayReview(role) }

    static func requireMayReview(_ user: User) throws { try Policy.require(user, .reviewQuality) }
    static func requireMayRecordCSAT(_ user: User) throws { try Policy.require(user, .recordSurvey) }
}
