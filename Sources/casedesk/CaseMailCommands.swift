import ArgumentParser
import CaseCore
import CaseDesk
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `case messages|attachments|attachment`: what a channel brought, beyond the timeline line:
/// each message's whole text (quotes included) and the attachments' stored bytes. Whoever
/// may see the case may read them. A file name from a mail is never used as a path.
extension CaseCommand {
    struct Messages: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the whole text of each message on a case, quoted earlier mail included.")
        @Argument var id: Int64
        @Option var format: MessageFormat = .table
        @OptionGroup var store: StoreOptions

        enum MessageFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

        func run() throws {
            let s = try store.open(viewing: id)
            let messages = try s.channelMessages(caseId: id)
            if format == .json {
                struct Item: Encodable { var eventId: Int64?, at: Date, direction: String, sender: String?, subject: String?, text: String? }
                print(try jsonString(messages.map { Item(eventId: $0.eventId, at: $0.at, direction: $0.direction, sender: $0.sender,
                                                         subject: $0.subject, text: $0.text) }))
                return
            }
            if messages.isEmpty { print("case #\(id) has no messages from a channel"); return }
            let time = try ShownTime(s)
            for (n, m) in messages.enumerated() {
                let head = ["event \(m.eventId.map(String.init) ?? "-")", time(m.at),
                            m.direction == "in" ? "from \(m.sender ?? "?")" : "response sent"]
                    + (m.subject.map { $0.isEmpty ? [] : [$0] } ?? [])
                // `print` makes stored text safe for the terminal (SafeText).
                print((n == 0 ? "" : "\n") + "── " + head.map(SafeText.line).joined(separator: " · "))
                print(m.text ?? "")
            }
        }
    }

    struct Attachments: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a case's attachments: number, name, type, size, kept or not (case attachment saves one).")
        @Argument var id: Int64
        @Option var format: OutputFormat = .table
        @OptionGroup var store: StoreOptions

        func run() throws {
            let s = try store.open(viewing: id)
            let list = try s.attachments(caseId: id)
            switch format {
            case .json:
                struct Item: Encodable { var n: Int, name: String, type: String, size: Int, kept: Bool, note: String? }
                print(try jsonString(list.enumerated().map {
                    Item(n: $0.offset + 1, name: $0.element.filename, type: $0.element.contentType, size: $0.element.size,
                         kept: $0.element.sha256 != nil, note: $0.element.note)
                }))
            case .csv:
                printData("n,name,type,size,kept")
                for (i, a) in list.enumerated() {
                    printData([String(i + 1), a.filename, a.contentType, String(a.size), a.sha256 == nil ? "no" : "yes"]
                        .map(CaseExport.csvField).joined(separator: ","))
                }
            case .table:
                if list.isEmpty { print("case #\(id) has no attachments"); return }
                print(table(["N", "NAME", "TYPE", "SIZE", "KEPT"], list.enumerated().map { i, a in
                    [String(i + 1), a.filename, a.contentType, ByteCount.text(a.size), a.sha256 == nil ? (a.note ?? "not kept") : "kept"]
                }))
            }
        }
    }

    struct Attachment: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a kept attachment's bytes to --out FILE ('-': standard output).",
            discussion: "N is its number in `case attachments`. The file is named by you, never by the mail; an existing file is replaced only with --force.")
        @Argument var id: Int64
        @Argument(help: "Its number in `casedesk case attachments`.") var n: Int
        @Option(help: "The file to write, or - for standard output.") var out: String
        @Flag(help: "Replace --out if it exists.") var force = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let s = try store.open(viewing: id)
            let list = try s.attachments(caseId: id)
            guard n >= 1, n <= list.count else {
                throw Failure(list.isEmpty ? "case #\(id) has no attachments" : "case #\(id) has attachments 1 to \(list.count), not \(n)")
            }
            let a = list[n - 1]
            guard let sha = a.sha256 else { throw Failure("attachment \(n) of case #\(id) was not kept (\(a.note ?? "not kept")): there are no bytes to save") }
            guard let data = FileManager.default.contents(atPath: s.attachmentPath(sha256: sha)) else {
                throw Failure("the stored file of attachment \(n) of case #\(id) is missing from \(s.attachmentDirectory)")
            }
            if out == "-" { FileHandle.standardOutput.write(data); return }
            try Self.write(data, to: out, replace: force)
            FileHandle.standardError.write(Data("saved \(ByteCount.text(data.count)) to \(SafeText.line(out))\n".utf8))
        }

        /// Written beside the target under a temporary name, then linked (refused when the
        /// target exists) or, with `replace`, renamed into place: never half a file.
        static func write(_ data: Data, to path: String, replace: Bool) throws {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                if isDir.boolValue { throw Failure("\(path) is a directory; name a file with --out") }
                if !replace { throw Failure("\(path) exists; add --force to replace it") }
            }
            // The folder by hand: NSString's path functions trap on some paths (".") on Linux.
            let dir = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
            if let refusal = SharedInstall.refusalToWrite(dir) { throw Failure("cannot write \(path): \(refusal)") }
            // A fresh name made by mkstemp (O_EXCL): in a folder others can write, nobody can
            // plant a link at a name we would guess and have the bytes written through it.
            var template = Array(((dir == "/" ? "" : dir) + "/.casedesk-attachment-XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { throw Failure("cannot write \(path): cannot create a file in \(dir) (\(String(cString: strerror(errno))))") }
            let temp = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            defer { unlink(temp) }
            let mask = umask(0); umask(mask)
            fchmod(fd, 0o666 & ~mask)   // the mode any new file of the user's would have, not mkstemp's 0600
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            do { try handle.write(contentsOf: data); try handle.close() } catch {
                throw Failure("cannot write \(path): \(error.localizedDescription)")
            }
            if replace {
                guard rename(temp, path) == 0 else { throw Failure("cannot write \(path): \(String(cString: strerror(errno)))") }
            } else if link(temp, path) != 0 {
                throw Failure(errno == EEXIST ? "\(path) exists; add --force to replace it" : "cannot write \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
