import Foundation

/// Every duration shown to a person, in one place: handle times, the SLA clock, pack
/// durations (`PackDuration.format`).
public enum DurationText {
    /// A handle or talk time: `4:05` (m:ss), `1:02:03` (h:mm:ss) from an hour; `-` when unknown.
    public static func elapsed(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        let t = Int(max(0, min(seconds, 1e12)).rounded())
        return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60)
    }

    /// Time left on an SLA clock, always with its unit and at most six characters (the
    /// queue's column): `45m`, `5h07m`, `16h`, `3d04h`, `12d`; a minus once past due (`-5m`).
    public static func clock(_ seconds: TimeInterval) -> String {
        let past = seconds < 0
        let m = Int(min(abs(seconds), 1e12) / 60)
        let body: String
        switch m {
        case ..<60: body = "\(m)m"
        case ..<600: body = String(format: "%dh%02dm", m / 60, m % 60)
        case ..<1440: body = "\(m / 60)h"
        case ..<(10 * 1440): body = String(format: "%dd%02dh", m / 1440, m / 60 % 24)
        default: body = "\(m / 1440)d"
        }
        return (past ? "-" : "") + body
    }
}
