import ArgumentParser
import CaseCore
import Foundation

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Create, list, show and work cases.",
        subcommands: [New.self, List.self, Show.self, TakeNext.self, Assign.self, Note.self, Respond.self,
                      Status.self, SetCallType.self, Resolve.self, FlagRule.self, Consult.self,
                      Contact.self, Pending.self, SetPriority.self, Move.self, Messages.self, Attachments.self, Attachment.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a case; prints its id.")
        @Option(help: "The customer's name. An existing customer with the same email, phone number or account is reused; a name alone makes a new customer.")
        var customer: String?
        @Option(name: .customLong("customer-id"), help: "An existing customer, by id (casedesk customer find TEXT).") var customerId: Int64?
        @Option(help: "The customer's email.") var email: String?
        @Option(help: "The customer's phone.") var phone: String?
        @Option(help: "The customer's account number.") var account: String?
        @Option(help: "phone, email, chat, web, ivr, mobile, retail or social.") var channel: Channel
        @Option(name: .customLong("call-type"), help: "The call type code, e.g. billing.dispute.") var callType: String?
        @Option(help: "One line saying what the contact is about.") var subject: String
        @Option(help: "P1 (most urgent) to P4; default: the call type's.") var priority: Priority?
        @Flag(name: .customLong("self-service"), help: "The customer tried self-service first.") var selfService = false
        @Option(help: "The customer's first message.") var body: String?
        @Option(help: "The team whose queue it joins; the team's assignment policy may assign it at once.") var team: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            guard (customer == nil) != (customerId == nil) else { throw Failure("name the customer with --customer NAME or --customer-id ID (one of them)") }
            let s = try store.open()
            var new = NewCase(customer: customer ?? "", customerEmail: email, customerPhone: phone, channel: channel,
                              callType: callType, subject: subject, priority: priority, selfService: selfService, body: body, team: team)
            new.customerId = customerId
            new.customerAccount = account
            let created = try s.createCasesReporting([new], by: store.login)[0]
            print(created.id)
            // Which customer the case got, for the person typing; stdout stays the id alone.
            FileHandle.standardError.write(Data("case #\(created.id): customer #\(created.customerId) (\(created.customer.words))\n".utf8))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases, newest first.")
        @Option var status: CaseStatus?
        @Option(help: "Only cases assigned to this login.") var assignee: String?
        @Option(name: .customLong("call-type"), help: "Only this call type (and its children).") var callType: String?
        @Option(help: "At most this many.", transform: number("a count of 1 or more") { $0 >= 1 }) var limit: Int = 50
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions

        func run() throws {
            let s = try store.open()
            try s.require(store.login, .listCases)
            let cases = try s.listCases(status: status, assignee: assignee, callType: callType, limit: limit)
            var customers: [Int64: Customer] = [:]
            for c in cases where customers[c.customerId] == nil { customers[c.customerId] = try s.customer(c.customerId) }
            switch format {
            case .json:
                print(try jsonString(cases.map { CaseSummaryJSON($0, customers[$0.customerId]!) }))
            case .csv:
                print(CaseExport.columns.joined(separator: ","))
                for c in cases {
                    let f = CaseExport.fields(c, customers[c.customerId]!)
                    printData(CaseExport.columns.map { CaseExport.csvField(f[$0]) }.joined(separator: ","))
                }
            case .table:
                let time = try ShownTime(s)
                print(table(["ID", "PRI", "STATUS", "DUE", "CUSTOMER", "CALL TYPE", "CHANNEL", "ASSIGNEE", "SUBJECT"],
                            cases.map { [String($0.id), $0.priority.description, $0.status.rawValue, time($0.dueAt),
                                         customers[$0.customerId]!.name, $0.callType ?? "-", $0.channel.rawValue,
                                         $0.assignee ?? "-", $0.subject] }))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a case with its timeline.")
        @Argument var id: Int64
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions

        func run() throws {
            let s = try store.open(viewing: id)
            let d = try s.detail(id)
            switch format {
            case .json: print(try jsonString(CaseShowJSON(d)))
            case .csv:
                print("id,at,actor,kind,field,old_value,new_value,body")
                for e in d.events {
                    let cells: [String?] = [String(e.id), ISO8601DateFormatter().string(from: e.at), e.actor, e.kind.rawValue, e.field, e.oldValue, e.newValue, e.body]
                    printData(cells.map { CaseExport.csvField($0) }.joined(separator: ","))
                }
            case .table:
                let r = d.record
                // Stored text is shown, never run (`print` here goes through SafeText).
                func show(_ line: String) { print(line) }
                show("Case #\(r.id) · \(r.callType ?? "no call type") · \(r.priority) · \(r.status.rawValue) · v\(r.version)")
                show("Customer: \(d.customer.name)\(d.customer.email.map { " <\($0)>" } ?? "") · \(r.channel.rawValue)\(r.selfService ? " · tried self-service" : "")")
                show("Subject: \(r.subject)")
                show("Assignee: \(r.assignee ?? "-") · due \(ISO8601DateFormatter().string(from: r.dueAt))")
                let time = try ShownTime(s)
                for e in d.events { show("\(time(e.at))  \(TimelineText.line(for: e, delivery: d.deliveries[e.id]))") }
            }
        }
    }

    struct TakeNext: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "take-next", abstract: "Take the most urgent waiting case; prints its id.")
        @OptionGroup var store: StoreOptions
        func run() throws {
            do {
                print(try store.open().takeNext(as: store.login).id)
            } catch CaseError.nothingToTake {
                throw Failure("no case is waiting for \(store.login)")
            }
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign cases to a login ('-' puts them back in the queue).",
            discussion: "Several ids (12,13,14) move together or not at all. Moving someone else's case takes a lead or an admin.")
        @Argument(help: "A case id, or several separated by commas.") var ids: String
        @Argument var to: String
        @Option(help: "Why (written to the timeline).") var reason: String?
        @Option(name: .customLong("expect-version"), help: "Fail if the case is no longer at this version (one case only).") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        func run() throws {
            let list = try ids.split(separator: ",", omittingEmptySubsequences: false).map { part -> Int64 in
                guard let id = Int64(part.trimmingCharacters(in: .whitespaces)), id > 0 else {
                    throw Failure("case ids are numbers separated by commas, not '\(ids)'")
                }
                return id
            }
            let target = to == "-" ? nil : to
            let s = try store.open()
            if list.count == 1 {
                let r = try s.assign(list[0], to: target, by: store.login, reason: reason, expectedVersion: expectVersion)
                print("case #\(r.id) → \(r.assignee ?? "queue") (version \(r.version))")
                return
            }
            guard expectVersion == nil else { throw Failure("--expect-version applies to one case, not \(list.count)") }
            for r in try s.reassign(list, to: target, by: store.login, reason: reason) {
                print("case #\(r.id) → \(r.assignee ?? "queue") (version \(r.version))")
            }
        }
    }

    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an internal note.")
        @OptionGroup var target: CaseTarget
        @Argument var text: String
        @OptionGroup var store: StoreOptions
        func run() throws { try store.open().addNote(target.id, text: text, by: store.login, expectedVersion: target.expectVersion) }
    }

    struct Respond: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a response to the customer (text, or --response ID from the script, filled in).")
        @OptionGroup var target: CaseTarget
        @Argument var text: String?
        @Option(help: "A response id from the case's script, e.g. greet.hello.") var response: String?
        @OptionGroup var store: StoreOptions
        func run() throws {
            let s = try store.open()
            var body = text ?? ""
            var responseId: String?
            if let response {
                guard let filled = try ResponseFiller.filled(store: s, caseId: target.id, responseId: response, agent: store.login) else {
                    throw Failure("no response '\(response)' in the script of case #\(target.id)")
                }
                (responseId, body) = filled
            }
            if try s.sendResponse(target.id, text: body, responseId: responseId, by: store.login, expectedVersion: target.expectVersion) {
                FlushLauncher.launch(database: s.path, login: store.login)   // the mail goes out after commit, in the background
            }
            print(body)
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the status: new, open, pending or closed (resolving needs a code: case resolve).")
        @OptionGroup var target: CaseTarget
        @Argument var status: SettableStatus
        @OptionGroup var store: StoreOptions
        func run() throws { try store.open().setStatus(target.id, to: status.status, by: store.login, expectedVersion: target.expectVersion) }
    }

    struct SetCallType: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "call-type", abstract: "Set the call type.")
        @OptionGroup var target: CaseTarget
        @Argument var code: String
        @OptionGroup var store: StoreOptions
        func run() throws { try store.open().setCallType(target.id, to: code, by: store.login, expectedVersion: target.expectVersion) }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve with a resolution code and optional CSAT.")
        @OptionGroup var target: CaseTarget
        @Option(help: "The resolution code (casedesk scripts list shows them).") var code: String
        @Option(help: "Customer satisfaction, 1 to 5.") var csat: Int?
        @OptionGroup var store: StoreOptions
        func run() throws { try store.open().resolve(target.id, code: code, csat: csat, by: store.login, expectedVersion: target.expectVersion) }
    }

    struct FlagRule: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "flag", abstract: "Flag the rule that forced a 'no' on this case.")
        @Argument var id: Int64
        @Argument var rule: String
        @OptionGroup var store: StoreOptions
        func run() throws { try store.open().flagRule(id, rule: rule, by: store.login) }
    }

    struct Consult: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask an expert about a case.")
        @Argument var id: Int64
        @Argument var expert: String
        @Argument var question: String
        @OptionGroup var store: StoreOptions
        func run() throws { try store.open().consult(id, expert: expert, question: question, by: store.login) }
    }
}

/// `case list --format json`: one object per case, snake_case keys.
struct CaseSummaryJSON: Encodable {
    var id: Int64, status: String, priority: String, channel: String, callType: String?, subject: String
    var customer: String, assignee: String?, createdAt: Date, dueAt: Date, version: Int
    init(_ c: CaseRecord, _ customer: Customer) {
        id = c.id; status = c.status.rawValue; priority = c.priority.description; channel = c.channel.rawValue
        callType = c.callType; subject = c.subject; self.customer = customer.name; assignee = c.assignee
        createdAt = c.createdAt; dueAt = c.dueAt; version = c.version
    }
}

/// `case show --format json`: the case, its customer and its whole timeline.
struct CaseShowJSON: Encodable {
    struct CustomerJSON: Encodable { var id: Int64, name: String, email: String?, phone: String?, account: String?, language: String? }
    struct EventJSON: Encodable {
        var id: Int64, at: Date, actor: String?, via: String?, kind: String, channel: String?, field: String?, oldValue: String?, newValue: String?, body: String?
    }
    var id: Int64, status: String, priority: String, channel: String, callType: String?, subject: String
    var assignee: String?, version: Int, createdAt: Date, dueAt: Date, firstResponseAt: Date?, resolvedAt: Date?
    var resolutionCode: String?, csat: Int?, selfService: Bool
    var customer: CustomerJSON
    var events: [EventJSON]
    init(_ d: CaseDetail) {
        let r = d.record
        id = r.id; status = r.status.rawValue; priority = r.priority.description; channel = r.channel.rawValue
        callType = r.callType; subject = r.subject; assignee = r.assignee; version = r.version; createdAt = r.createdAt
        dueAt = r.dueAt; firstResponseAt = r.firstResponseAt; resolvedAt = r.resolvedAt; resolutionCode = r.resolutionCode
        csat = r.csat; selfService = r.selfService
        let c = d.customer
        customer = CustomerJSON(id: c.id, name: c.name, email: c.email, phone: c.phone, account: c.account, language: c.language)
        events = d.events.map { EventJSON(id: $0.id, at: $0.at, actor: $0.actor, via: $0.via, kind: $0.kind.rawValue, channel: $0.channel,
                                          field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue, body: $0.body) }
    }
}
