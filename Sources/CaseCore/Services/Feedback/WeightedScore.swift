import Foundation

/// The one definition of a weighted rubric or scorecard percentage: each criterion's mean
/// score over its maximum, weighted, over the WHOLE weight. A criterion nobody scored adds
/// nothing and is not dropped from the total, so it cannot raise the figure; `scoredShare`
/// says how much of the weight was scored, shown beside the percentage.
public struct WeightedScore: Codable, Equatable, Sendable {
    /// 0…100 over the whole weight; nil while nothing is scored.
    public var percent: Double?
    /// 0…1: the share of the weight that was scored.
    public var scoredShare: Double

    /// `criteria`: weight, maximum score, mean score (nil: not scored).
    public init(_ criteria: [(weight: Int, max: Int, mean: Double?)]) {
        let total = criteria.reduce(0) { $0 + $1.weight }
        let scored = criteria.filter { $0.mean != nil }
        let scoredWeight = scored.reduce(0) { $0 + $1.weight }
        scoredShare = total == 0 ? 0 : Double(scoredWeight) / Double(total)
        percent = scored.isEmpty || total == 0 ? nil
            : scored.reduce(0.0) { $0 + Double($1.weight) * ($1.mean! / Double($1.max)) } / Double(total) * 100
    }
}
