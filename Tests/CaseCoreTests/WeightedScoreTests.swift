import Testing
@testable import CaseCore

/// The rubric percentage counts unscored criteria honestly.
@Suite struct WeightedScoreTests {
    @Test func anUnscoredCriterionCannotRaiseTheFigure() {
        // Weights 40, 30, 30 (out of 5 each). Scored: 4.5/5 (0.9) and 4.4/5 (0.88); the last
        // 30% nobody scored. Over the scored 70% alone it would read (36 + 26.4) / 70 = 89.1%;
        // over the whole rubric it is (36 + 26.4) / 100 = 62.4%, with 70% of the weight scored.
        let w = WeightedScore([(40, 5, 4.5), (30, 5, 4.4), (30, 5, nil)])
        #expect(abs(w.percent! - 62.4) < 1e-9)
        #expect(abs(w.scoredShare - 0.7) < 1e-12)
        let full = WeightedScore([(40, 5, 4.5), (30, 5, 4.4), (30, 5, 5)])
        #expect(abs(full.percent! - 92.4) < 1e-9 && full.scoredShare == 1)
        #expect(WeightedScore([(50, 4, nil), (50, 4, nil)]).percent == nil)
    }
}
