import Foundation

/// Erlang C for staffing a queue: `traffic` is the offered load in Erlangs
/// (arrivals per second × average handle time in seconds).
///
/// Everything goes through the Erlang B recurrence B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)),
/// which stays in [0, 1] at every step: no factorials, no powers, no overflow at any size.
/// Erlang C follows as C = N·B / (N − A·(1 − B)).
public enum ErlangC {
    /// Erlang B: the probability that all `servers` are busy in a loss system.
    public static func erlangB(servers: Int, traffic: Double) -> Double {
        var b = 1.0
        if servers <= 0 { return 1 }
        for n in 1...servers { b = traffic * b / (Double(n) + traffic * b) }
        return b
    }

    /// The probability that a contact waits (all agents busy). 1 when the queue is unstable (N ≤ A).
    public static func probabilityOfWait(agents: Int, traffic: Double) -> Double {
        guard traffic > 0 else { return 0 }
        let n = Double(agents)
        guard n > traffic else { return 1 }
        return fromB(erlangB(servers: agents, traffic: traffic), agents: agents, traffic: traffic)
    }

    static func fromB(_ b: Double, agents: Int, traffic: Double) -> Double {
        let n = Double(agents)
        return n * b / (n - traffic * (1 - b))
    }

    /// Share of contacts answered within `within` seconds.
    public static func serviceLevel(agents: Int, traffic: Double, ahtSeconds: Double, within: Double) -> Double {
        guard traffic > 0 else { return 1 }
        guard Double(agents) > traffic, ahtSeconds > 0 else { return 0 }
        let c = probabilityOfWait(agents: agents, traffic: traffic)
        return 1 - c * exp(-(Double(agents) - traffic) * within / ahtSeconds)
    }

    /// Average speed of answer in seconds (infinite when N ≤ A).
    public static func averageSpeedOfAnswer(agents: Int, traffic: Double, ahtSeconds: Double) -> Double {
        guard traffic > 0 else { return 0 }
        guard Double(agents) > traffic else { return .infinity }
        return probabilityOfWait(agents: agents, traffic: traffic) * ahtSeconds / (Double(agents) - traffic)
    }

    /// The fewest agents that answer at least `target` of contacts within `within` seconds.
    /// B is carried forward agent by agent, so the search costs one step per agent.
    public static func agentsNeeded(traffic: Double, ahtSeconds: Double, target: Double, within: Double) -> Int {
        guard traffic > 0, ahtSeconds > 0 else { return 0 }
        var b = 1.0
        var n = 0
        // At most A + a generous margin: far past where any real target is met.
        let limit = Int(traffic.rounded(.up)) + 10_000
        while n < limit {
            n += 1
            b = traffic * b / (Double(n) + traffic * b)
            guard Double(n) > traffic else { continue }
            let c = fromB(b, agents: n, traffic: traffic)
            let sl = 1 - c * exp(-(Double(n) - traffic) * within / ahtSeconds)
            if sl >= target { return n }
        }
        return n
    }
}
