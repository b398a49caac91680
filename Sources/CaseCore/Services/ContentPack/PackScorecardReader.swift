import Foundation
import Yams

/// scorecards/<id>.yaml: criteria and their weights.
extension FileReader {
    mutating func parseScorecard(_ root: Node) -> (Scorecard, Int)? {
        guard let top = fields(root, "a scorecard", allowed: ["id", "name", "criteria"]) else { return nil }
        let id = string(top, "id"), name = string(top, "name")
        if let id, !Self.isCode(id.value) { error(id.line, "bad scorecard id '\(id.value)' (lower-case letters, digits, _)") }
        var criteria: [ScorecardCriterion] = []
        var seen: [String: Int] = [:]
        let items = list(top, "criteria", required: true)
        for item in items {
            guard let f = fields(item, "a criterion", allowed: ["id", "text", "weight"]) else { continue }
            let cid = string(f, "id"), text = string(f, "text"), weight = string(f, "weight")
            guard let cid, let text, let weight else { continue }
            if let first = seen[cid.value] {
                error(cid.line, "duplicate criterion id '\(cid.value)' (first at line \(first))"); continue
            }
            seen[cid.value] = cid.line
            guard let w = Int(weight.value), w > 0 else {
                error(weight.line, "bad weight '\(weight.value)' (a whole number above zero)"); continue
            }
            criteria.append(ScorecardCriterion(id: cid.value, text: text.value, weight: w))
        }
        let total = criteria.reduce(0) { $0 + $1.weight }
        if !criteria.isEmpty, criteria.count == items.count, total != 100 {
            error(top.keyLine("criteria"), "criteria weights add up to \(total), expected 100")
        }
        if top["criteria"] != nil && items.isEmpty { error(top.keyLine("criteria"), "the scorecard has no criteria") }
        guard let id, let name else { return nil }
        return (Scorecard(id: id.value, name: name.value, criteria: criteria), id.line)
    }
}
