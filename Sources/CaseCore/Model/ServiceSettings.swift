import Foundation

/// One dated exception to the weekly opening hours, in the pack's time zone:
/// a holiday (`span` nil: closed all day) or special opening hours for that day.
public struct DatedHours: Codable, Equatable, Sendable {
    /// YYYY-MM-DD, a day in the business-hours time zone.
    public var date: String
    public var name: String
    public var span: BusinessHours.Span?
    public init(date: String, name: String, span: BusinessHours.Span?) { self.date = date; self.name = name; self.span = span }
    public var isHoliday: Bool { span == nil }
}

/// The pack's service settings (`service:` in calltypes.yaml). Each has one home here and
/// is read through `CaseStore.serviceSettings()` by desk, board, console, reports and CLI.
public struct ServiceSettings: Codable, Equatable, Sendable {
    /// "At SLA risk": open, not paused, and due within this many minutes (or overdue).
    public var atRiskMinutes: Int
    /// First-contact resolution: a repeat contact or a reopen within this many days of the
    /// first resolution means the case was not resolved at first contact.
    public var repeatWindowDays: Int
    /// Share of paid time agents are not available for contacts (breaks, training, meetings).
    public var shrinkage: Double
    /// The highest occupancy staffing may plan for.
    public var occupancyCap: Double
    /// Cases per agent per week the QA queue samples for review.
    public var qaSamplePerAgentWeek: Int
    /// A CSAT score at or below this raises an alert on the lead board.
    public var csatAlertAtOrBelow: Int

    public init(atRiskMinutes: Int = 60, repeatWindowDays: Int = 7, shrinkage: Double = 0.30, occupancyCap: Double = 0.85,
                qaSamplePerAgentWeek: Int = 2, csatAlertAtOrBelow: Int = 2) {
        self.atRiskMinutes = atRiskMinutes; self.repeatWindowDays = repeatWindowDays; self.shrinkage = shrinkage
        self.occupancyCap = occupancyCap; self.qaSamplePerAgentWeek = qaSamplePerAgentWeek; self.csatAlertAtOrBelow = csatAlertAtOrBelow
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ServiceSettings()
        atRiskMinutes = try c.decodeIfPresent(Int.self, forKey: .atRiskMinutes) ?? d.atRiskMinutes
        repeatWindowDays = try c.decodeIfPresent(Int.self, forKey: .repeatWindowDays) ?? d.repeatWindowDays
        shrinkage = try c.decodeIfPresent(Double.self, forKey: .shrinkage) ?? d.shrinkage
        occupancyCap = try c.decodeIfPresent(Double.self, forKey: .occupancyCap) ?? d.occupancyCap
        qaSamplePerAgentWeek = try c.decodeIfPresent(Int.self, forKey: .qaSamplePerAgentWeek) ?? d.qaSamplePerAgentWeek
        csatAlertAtOrBelow = try c.decodeIfPresent(Int.self, forKey: .csatAlertAtOrBelow) ?? d.csatAlertAtOrBelow
    }

    /// The at-risk window as a time interval.
    public var atRiskWindow: TimeInterval { Double(atRiskMinutes) * 60 }
}
