import ArgumentParser
import CaseCore
import Foundation

/// `casedesk mail …`: the mail gateway (in: deliver, fetch; out: outbox, flush; quarantine).
struct MailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: "Take mail in from a mail server and send responses out (see docs/mail.md).",
        subcommands: [Deliver.self, Fetch.self, Outbox.self, Flush.self, Quarantine.self])

    /// sysexits(3), as mail servers read them.
    enum Sysexit {
        static let dataErr: Int32 = 65
        static let tempFail: Int32 = 75
    }

    /// Runs a gateway command: a problem that is not the message's fault (database busy
    /// or missing, disk full, the gateway account not set up) exits 75, so the mail
    /// server keeps the message queued and tries again; nothing is half-written.
    static func gateway<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as Failure {
            throw failure
        } catch let error as CaseError {
            throw Failure("\(error.description) (temporary failure: the mail stays queued)", code: Sysexit.tempFail)
        } catch let error where TemporaryFailure.isTemporary(error) {
            throw Failure("\(error) (temporary failure: the mail stays queued)", code: Sysexit.tempFail)
        }
    }

    static let maxMessageBytes = 64 * 1_048_576

    static func report(_ result: MailDeliveryResult, quiet: Bool = false) {
        switch result {
        case .filed(.filed(let id, _, let opened, let reopened)):
            print(id)
            if !quiet, opened || reopened { note("\(opened ? "opened" : "reopened") case #\(id)") }
        case .filed(.duplicate(let id)):
            print(id)
            if !quiet { note("already filed on case #\(id) (same Message-ID): filed once") }
        case .dropped(let reason):
            if !quiet { note("dropped, not filed and not answered: \(reason)") }
        case .bounced(let id, let reason):
            if !quiet { note("a bounce of a response on case #\(id): marked failed (\(reason)); not filed, not answered") }
        case .quarantined(let id, let reason):
            if !quiet { note("quarantined as \(id): \(reason) (casedesk mail quarantine show \(id))") }
        }
    }

    static func note(_ text: String) { FileHandle.standardError.write(Data("casedesk: \(text)\n".utf8)) }

    struct Deliver: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deliver", abstract: "File one RFC 5322 message read on stdin; prints the case id.",
            discussion: "Exit 0: filed, or dropped (auto-reply, bounce, bulk, loop), or quarantined. 75: try again later (database busy or missing, disk full, gateway account not set up). 65: larger than 64 MB.")
        @Option(help: "The team whose queue a new case joins.") var team: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            var raw = [UInt8]()
            while true {
                let chunk = FileHandle.standardInput.readData(ofLength: 1 << 20)
                if chunk.isEmpty { break }
                raw += chunk
                if raw.count > MailCommand.maxMessageBytes {
                    throw Failure("the message is larger than 64 MB; not filed", code: Sysexit.dataErr)
                }
            }
            let result = try MailCommand.gateway { try store.open(gateway: true).deliverMail(raw, as: store.login, team: team) }
            MailCommand.report(result)
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File every message in a Maildir's new/, moving each to cur/ after its case is committed.",
            discussion: "A run killed half-way leaves the rest in new/; the next run files them, and a message filed just before the kill is recognised by its Message-ID and filed once.")
        @Option(help: "The Maildir (with new/ and cur/).") var maildir: String
        @Option(help: "The team whose queue new cases join.") var team: String?
        @Flag(help: "Print only the summary.") var quiet = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let summary = try MailCommand.gateway { () -> MaildirSummary in
                let s = try store.open(gateway: true)
                return try MaildirFetch.run(store: s, maildir: maildir, login: store.login, team: team) { name, result in
                    if !quiet {
                        switch result {
                        case .filed(let o): print("\(name): case \(o.caseId)")
                        case .dropped(let reason): print("\(name): dropped: \(reason)")
                        case .bounced(let id, let reason): print("\(name): a bounce of a response on case \(id): \(reason)")
                        case .quarantined(let id, let reason): print("\(name): quarantined as \(id): \(reason)")
                        }
                    }
                }
            }
            print("filed \(summary.filed) (\(summary.opened) new case\(summary.opened == 1 ? "" : "s")), \(summary.duplicates) already filed, \(summary.dropped) dropped, \(summary.bounced) bounce\(summary.bounced == 1 ? "" : "s"), \(summary.quarantined) quarantined")
        }
    }

    struct Outbox: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List responses sent or to send by mail, newest first.")
        @Flag(help: "Only those not sent yet.") var pending = false
        @Option(help: "At most this many.") var limit: Int = 50
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions

        func run() throws {
            guard limit > 0 else { throw Failure("--limit must be positive") }
            let s = try store.open(gateway: true)
            let items = try s.outbox(pending: pending, limit: limit)
            let time = try ShownTime(s)
            switch format {
            case .json:
                struct Item: Encodable {
                    var id: Int64, caseId: Int64, messageId: String, to: String?, state: String, attempts: Int
                    var error: String?, nextAttemptAt: Date?, sentAt: Date?, createdAt: Date
                }
                print(try jsonString(items.map { Item(id: $0.id, caseId: $0.caseId, messageId: $0.messageId, to: $0.delivery.to,
                                                      state: $0.delivery.state.rawValue, attempts: $0.delivery.attempts, error: $0.delivery.error,
                                                      nextAttemptAt: $0.delivery.nextAttemptAt, sentAt: $0.delivery.sentAt, createdAt: $0.createdAt) }))
            case .csv:
                print("id,case,state,to,attempts,next_attempt,error")
                let iso = ISO8601DateFormatter()
                for i in items {
                    let next = i.delivery.nextAttemptAt.map { iso.string(from: $0) } ?? ""
                    print([String(i.id), String(i.caseId), i.delivery.state.rawValue, i.delivery.to ?? "", String(i.delivery.attempts),
                           next, i.delivery.error ?? ""].map(CaseExport.csvField).joined(separator: ","))
                }
            case .table:
                if items.isEmpty { print("the outbox is empty"); return }
                print(table(["ID", "CASE", "STATE", "TO", "TRIES", "NEXT TRY", "ERROR"],
                            items.map { [String($0.id), String($0.caseId), $0.delivery.state.rawValue, $0.delivery.to ?? "-",
                                         String($0.delivery.attempts), $0.delivery.nextAttemptAt.map { time($0) } ?? "-",
                                         $0.delivery.error ?? ""] }))
            }
        }
    }

    struct Flush: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send every due response through mail.sendmail; failures are retried later with backoff.",
            discussion: "Run it from cron or a systemd timer every minute (docs/mail.md). A desk or `case respond` starts one in the background after each response on an email case.")
        @Flag(help: "Retry failed messages now, even those given up on.") var all = false
        @Flag(help: "Print nothing.") var quiet = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let report = try MailCommand.gateway { try store.open(gateway: true).flushOutbox(as: store.login, retryNow: all) }
            if !quiet { print("sent \(report.sent), failed \(report.failed)") }
        }
    }

    struct Quarantine: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Messages that could not be read at all, kept whole (the gateway account and admins only).", subcommands: [List.self, Show.self, Retry.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List quarantined messages.")
            @OptionGroup var store: StoreOptions
            func run() throws {
                let s = try store.open(gateway: true)
                let items = try s.quarantined(as: store.login)
                if items.isEmpty { print("the quarantine is empty"); return }
                let time = try ShownTime(s)
                print(table(["ID", "AT", "SIZE", "FILED", "REASON"],
                            items.map { [String($0.id), time($0.at), ByteCount.text($0.size),
                                         $0.filedCaseId.map { "case \($0)" } ?? "-", $0.reason] }))
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show a quarantined message as it arrived (control characters made visible; --raw for the bytes).")
            @Argument var id: Int64
            @Flag(help: "Write the message's bytes unchanged (to a file or a pipe).") var raw = false
            @OptionGroup var store: StoreOptions
            func run() throws {
                let (item, bytes) = try store.open(gateway: true).quarantinedMessage(id, as: store.login)
                if raw { FileHandle.standardOutput.write(Data(bytes)); return }
                print("Quarantined \(item.id) · \(ByteCount.text(item.size)) · \(item.reason)")
                print(visible(bytes))
            }

            /// Text with control characters and invalid bytes shown as escapes, never sent to the terminal.
            func visible(_ bytes: [UInt8]) -> String {
                var out = ""
                for b in bytes {
                    switch b {
                    case 0x0A, 0x09: out.unicodeScalars.append(UnicodeScalar(b))
                    case 0x0D: continue
                    case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(b))
                    default: out += String(format: "\\x%02X", b)
                    }
                }
                return out
            }
        }

        struct Retry: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Read a quarantined message again and file it; prints the case id.")
            @Argument var id: Int64
            @Option(help: "The sender to file it under, when its header names none.") var from: String?
            @Option(help: "The team whose queue a new case joins.") var team: String?
            @OptionGroup var store: StoreOptions
            func run() throws {
                let result = try store.open(gateway: true).retryQuarantined(id, as: store.login, sender: from, team: team)
                if case .quarantined(_, let reason) = result { throw Failure("message \(id) still cannot be read: \(reason)") }
                MailCommand.report(result)
            }
        }
    }
}
