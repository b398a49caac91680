import Foundation

/// What a person may do in CaseDesk. The core checks it; screens only follow.
public enum Role: String, Codable, CaseIterable, Sendable {
    case agent, lead, trainer, expert, admin
    /// The account a mail server or relay delivers as: files, threads and sends
    /// contacts (`casedesk mail`, `casedesk ingest`), nothing else (see `GatewayRule`).
    case gateway

    /// Whether the role may move cases that are not theirs (`Policy` says which ones).
    public var mayReassignOthers: Bool { [.any, .team].contains(Policy.table[.reassign]?[self]) }
}

/// Where a case was born.
public enum Channel: String, Codable, CaseIterable, Sendable {
    case phone, email, chat, web, ivr, mobile, retail, social
}

public enum CaseStatus: String, Codable, CaseIterable, Sendable {
    case new, open, pending, resolved, closed

    /// The one definition of an open case: in a queue, on the SLA clock, takeable.
    public static let openStatuses: [CaseStatus] = [.new, .open, .pending]
    /// Done: resolved (with a code) or closed (filed away).
    public static let doneStatuses: [CaseStatus] = [.resolved, .closed]
    /// What `case status` and the desk set directly; resolving needs a code.
    public static let settable: [CaseStatus] = [.new, .open, .pending, .closed]

    public var isOpen: Bool { Self.openStatuses.contains(self) }

    /// `column IN ('new','open','pending')`: the text every partial index on open cases and
    /// every query that must use one of them is written with (`INDEXED BY` makes a drift an error).
    public static func openSQL(_ column: String = "status") -> String { inSQL(column, openStatuses) }
    public static func doneSQL(_ column: String = "status") -> String { inSQL(column, doneStatuses) }
    static func inSQL(_ column: String, _ list: [CaseStatus]) -> String {
        "\(column) IN (" + list.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")"
    }
}

/// P1 is the most urgent. Stored as 1…4 so an index orders it.
public enum Priority: Int, Codable, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case p1 = 1, p2, p3, p4

    public init?(label: String) {
        let s = label.uppercased()
        guard s.count == 2, s.first == "P", let n = Int(s.dropFirst()), let p = Priority(rawValue: n) else { return nil }
        self = p
    }

    public var description: String { "P\(rawValue)" }
    public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
}
