import CaseCore
import Foundation

/// The intake form (`N`): a new contact from the first word. Nothing is written until
/// Enter on the last field; Esc at any point leaves no trace.
public struct IntakeForm: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable {
        case customer, channel, callType, subject, words

        var label: String {
            switch self {
            case .customer: "Customer"
            case .channel: "Channel"
            case .callType: "Call type"
            case .subject: "Subject"
            case .words: "They said"
            }
        }
    }
    public var field: Field = .customer
    /// What the agent typed to find the customer: a name, email, phone number or account.
    public var query = ""
    public var matches: [Customer] = []
    /// The query the matches answer (a late answer to an older query is dropped).
    public var matchedQuery = ""
    /// Row of the customer list: the matches, then "new customer".
    public var selected = 0
    /// The customer picked: an existing one, or nil with `newCustomer` set.
    public var customer: Customer?
    public var newCustomer: NewCustomerDraft?
    public var channel: Channel
    public var callTypeQuery = ""
    public var callTypeSelected = 0
    public var callType: String?
    public var subject = ""
    public var words = ""

    public init(channel: Channel) { self.channel = channel }

}

public struct NewCustomerDraft: Equatable, Sendable {
    public var name = ""
    public var email: String?
    public var phone: String?
    public var account: String?

    static func from(_ typed: String) -> NewCustomerDraft {
        let t = typed.trimmingCharacters(in: .whitespaces)
        var d = NewCustomerDraft()
        if t.contains("@") { d.email = t; d.name = String(t.prefix { $0 != "@" }) }
        else if PhoneNumber.digits(t).count >= 6, t.allSatisfy({ $0.isNumber || " +-().".contains($0) }) { d.phone = t; d.name = t }
        else { d.name = t }
        return d
    }
}

/// What the intake asks the runtime to create.
public struct IntakeDraft: Equatable, Sendable {
    public var customerId: Int64?
    public var newCustomer: NewCustomerDraft?
    public var channel: Channel
    public var callType: String?
    public var subject: String
    public var words: String
}

/// The customer view (`C`): details and every case, open ones first.
public struct CustomerPanel: Equatable, Sendable {
    public var history: CustomerHistory
    public var selected = 0
}

/// Search (`F`): a query line, then ranked results.
public struct SearchPanel: Equatable, Sendable {
    public var query = ""
    public var results: SearchResults?
    /// The query the results answer.
    public var resultsFor = ""
    public var selected = 0
    public var searching = false
}
