import Foundation

/// Additive Holt-Winters (level, trend, one seasonal cycle) for arrival counts, with its
/// smoothing constants chosen by the smallest one-step-ahead squared error on a grid.
///
/// For contact arrivals the cycle is one week of half-hours (336 slots): it holds the shape
/// of each day (time of day) and the differences between weekdays at once.
public enum HoltWinters {
    public struct Fit: Equatable, Sendable {
        public var alpha, beta, gamma: Double
        public var level, trend: Double
        /// The seasonal effect of each slot, aligned so that `season[0]` is the slot after the history ends.
        public var season: [Double]
        public var sse: Double
    }

    static let alphas = [0.02, 0.05, 0.1, 0.2, 0.4]
    static let betas = [0.0, 0.001, 0.01, 0.05]
    static let gammas = [0.05, 0.1, 0.2, 0.4]

    /// Fits a series of at least two full cycles; nil otherwise.
    public static func fit(_ y: [Double], period m: Int) -> Fit? {
        guard m > 0, y.count >= 2 * m else { return nil }
        var best: Fit?
        for a in alphas { for b in betas { for g in gammas {
            let f = run(y, m, a, b, g)
            if best == nil || f.sse < best!.sse { best = f }
        } } }
        return best
    }

    static func run(_ y: [Double], _ m: Int, _ a: Double, _ b: Double, _ g: Double) -> Fit {
        let first = y[0..<m].reduce(0, +) / Double(m)
        let second = y[m..<(2 * m)].reduce(0, +) / Double(m)
        var level = first, trend = (second - first) / Double(m)
        var season = y[0..<m].map { $0 - first }
        var sse = 0.0
        for t in m..<y.count {
            let s = season[t % m]
            let predicted = level + trend + s
            sse += (y[t] - predicted) * (y[t] - predicted)
            let newLevel = a * (y[t] - s) + (1 - a) * (level + trend)
            trend = b * (newLevel - level) + (1 - b) * trend
            season[t % m] = g * (y[t] - newLevel) + (1 - g) * s
            level = newLevel
        }
        let n = y.count
        let aligned = (0..<m).map { season[(n + $0) % m] }
        return Fit(alpha: a, beta: b, gamma: g, level: level, trend: trend, season: aligned, sse: sse)
    }

    /// The next `h` values, never below zero.
    public static func forecast(_ f: Fit, steps h: Int) -> [Double] {
        (0..<h).map { max(0, f.level + Double($0 + 1) * f.trend + f.season[$0 % f.season.count]) }
    }

    /// "Same slot last cycle": the last cycle repeated.
    public static func seasonalNaive(_ y: [Double], period m: Int, steps h: Int) -> [Double] {
        (0..<h).map { y[y.count - m + ($0 % m)] }
    }

    /// Mean absolute percentage error over the slots with arrivals (a zero cannot be divided
    /// by), and weighted absolute percentage error Σ|f − a| ÷ Σa. Nil when nothing arrived.
    public static func errors(forecast f: [Double], actual a: [Double]) -> (mape: Double?, wape: Double?) {
        let pairs = zip(f, a)
        let nonzero = pairs.filter { $0.1 > 0 }
        let mape = nonzero.isEmpty ? nil : nonzero.reduce(0.0) { $0 + abs($1.0 - $1.1) / $1.1 } / Double(nonzero.count)
        let total = a.reduce(0, +)
        let wape = total > 0 ? pairs.reduce(0.0) { $0 + abs($1.0 - $1.1) } / total : nil
        return (mape, wape)
    }
}
