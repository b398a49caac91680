import ArgumentParser
import CaseCore
import Foundation

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find cases by what was said (subjects, customer messages, responses, notes), case id, email, phone or account.",
        discussion: """
            Words match whatever their case or accents; a Chinese or Japanese name matches as written. \
            Results are ranked by relevance; when a query matches more than \(CaseStore.rankWindow) cases, \
            by relevance among the newest \(CaseStore.rankWindow) of them (with --status: newest first). \
            The first line of table output says which.
            """)
    @Argument var text: String
    @Option(help: "Only cases with these statuses (comma-separated: new, open, pending, resolved, closed).",
            transform: statusList) var status: [CaseStatus]?
    @Option(help: "At most this many.", transform: number("a count of 1 or more") { $0 >= 1 }) var limit: Int = 50
    @Option var format: OutputFormat = .table
    @OptionGroup var store: StoreOptions

    func run() throws {
        let results = try store.open(asking: .listCases).search(text, status: status, limit: limit)
        switch format {
        case .json:
            print(try jsonString(results.hits.map(SearchHitJSON.init)))
        case .csv:
            print("id,customer,status,call_type,subject,snippet")
            for h in results.hits {
                print([String(h.id), h.customer, h.status.rawValue, h.callType, h.subject, SearchResults.bracketed(h.snippet)]
                    .map { CaseExport.csvField($0) }.joined(separator: ","))
            }
        case .table:
            print("\(results.hits.count) cases, \(results.order.words)")
            print(table(["ID", "CUSTOMER", "STATUS", "CALL TYPE", "MATCH"],
                        results.hits.map { [String($0.id), $0.customer, $0.status.rawValue, $0.callType ?? "-",
                                            SearchResults.bracketed($0.snippet)] }))
        }
    }
}

/// One search result; `call_type` is always present (null when the case has none).
struct SearchHitJSON: Encodable {
    var id: Int64, customer: String, status: String, callType: String?, subject: String, snippet: String
    enum CodingKeys: String, CodingKey { case id, customer, status, callType, subject, snippet }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(customer, forKey: .customer); try c.encode(status, forKey: .status)
        try c.encode(callType, forKey: .callType); try c.encode(subject, forKey: .subject); try c.encode(snippet, forKey: .snippet)
    }
    init(_ h: SearchHit) {
        id = h.id; customer = h.customer; status = h.status.rawValue; callType = h.callType; subject = h.subject
        snippet = SearchResults.bracketed(h.snippet)
    }
}
