import ArgumentParser
import CaseCore
import Foundation

struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer", abstract: "Find, show and add customers; a customer's data (export, erasure).",
        subcommands: [Find.self, Show.self, New.self, CustomerExport.self, CustomerErase.self])

    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Customers matching a name (case and accents ignored), email, phone number (any formatting) or account.")
        @Argument var text: String
        @Option(help: "At most this many.", transform: number("a count of 1 or more") { $0 >= 1 }) var limit: Int = 20
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw Failure("type part of a name, an email, a phone number or an account") }
            let found = try store.open(asking: .listCases).findCustomers(text, limit: limit)
            printCustomers(found, format: format)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A customer's details and every case of theirs, open ones first.")
        @Argument(help: "A customer id or an exact email.") var customer: String
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions
        func run() throws {
            let s = try store.open(asking: .listCases)
            let history = try s.customerHistory(try s.customer(named: customer).id)
            let c = history.customer
            switch format {
            case .json: print(try jsonString(CustomerShowJSON(history)))
            case .csv:
                print("id,status,priority,call_type,created_at,assignee,subject")
                for k in history.cases {
                    let cells: [String?] = [String(k.id), k.status.rawValue, k.priority.description, k.callType,
                                            ISO8601DateFormatter().string(from: k.createdAt), k.assignee, k.subject]
                    print(cells.map { CaseExport.csvField($0) }.joined(separator: ","))
                }
            case .table:
                print("Customer #\(c.id) · \(c.name)")
                for (label, value) in [("email", c.email), ("phone", c.phone), ("account", c.account), ("language", c.language)] {
                    if let value { print("  \(label): \(value)") }
                }
                let open = history.cases.filter { $0.status.isOpen }.count
                print("\(history.cases.count) cases, \(open) open")
                let time = try ShownTime(s)
                print(table(["ID", "STATUS", "PRI", "CALL TYPE", "CREATED", "OWNER", "SUBJECT"],
                            history.cases.map { [String($0.id), $0.status.rawValue, $0.priority.description, $0.callType ?? "-",
                                                 time($0.createdAt), $0.assignee ?? "-", $0.subject] }))
            }
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a customer; prints the new id.")
        @Option var name: String
        @Option var email: String?
        @Option var phone: String?
        @Option var account: String?
        @Option(help: "A language code, e.g. en, de, zh.") var language: String?
        @OptionGroup var store: StoreOptions
        func run() throws {
            let c = try store.open(asking: .createCase).createCustomer(NewCustomer(name: name, email: email, phone: phone, account: account, language: language))
            print(c.id)
        }
    }
}

func printCustomers(_ found: [Customer], format: OutputFormat) {
    switch format {
    case .json: print((try? jsonString(found.map(CustomerJSON.init))) ?? "[]")
    case .csv:
        print("id,name,email,phone,account,language")
        for c in found {
            print([String(c.id), c.name, c.email, c.phone, c.account, c.language].map { CaseExport.csvField($0) }.joined(separator: ","))
        }
    case .table:
        print(table(["ID", "NAME", "EMAIL", "PHONE", "ACCOUNT"],
                    found.map { [String($0.id), $0.name, $0.email ?? "-", $0.phone ?? "-", $0.account ?? "-"] }))
    }
}

struct CustomerJSON: Encodable {
    var id: Int64, name: String, email: String?, phone: String?, account: String?, language: String?
    init(_ c: Customer) { id = c.id; name = c.name; email = c.email; phone = c.phone; account = c.account; language = c.language }
}

struct CustomerShowJSON: Encodable {
    struct CaseJSON: Encodable {
        var id: Int64, status: String, priority: String, callType: String?, subject: String, createdAt: Date, assignee: String?
    }
    var customer: CustomerJSON
    var cases: [CaseJSON]
    init(_ h: CustomerHistory) {
        customer = CustomerJSON(h.customer)
        cases = h.cases.map { CaseJSON(id: $0.id, status: $0.status.rawValue, priority: $0.priority.description, callType: $0.callType,
                                       subject: $0.subject, createdAt: $0.createdAt, assignee: $0.assignee) }
    }
}
