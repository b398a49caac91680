import Foundation
import Testing

/// Option values are checked before anything runs: a wrong one is one line naming the value and
/// what is accepted, exit 64 as every usage error; every enum option lists its values.
@Suite(.serialized) struct TypedOptionTests {
    static let db: String = try! Casedesk.freshDatabase()

    private func refused(_ args: [String]) throws -> String {
        let r = try Casedesk.run(args + ["--db", Self.db])
        #expect(r.status == 64 && r.stdout.isEmpty && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.status) \(r.stderr)")
        return r.stderr
    }

    @Test func numbersOutsideTheirRangeNameTheValueAndTheRange() throws {
        // 1e300 seconds used to reach the Erlang C arithmetic and trap.
        #expect(try refused(["report", "staffing", "--aht-seconds", "1e300"])
                == "casedesk: The value '1e300' is invalid for '--aht-seconds <aht-seconds>': expected seconds from 1 to 86400\n")
        #expect(try refused(["report", "staffing", "--aht-seconds", "soon"]).contains("'soon' is invalid for '--aht-seconds"))
        #expect(try refused(["report", "staffing", "--within-seconds", "inf"]).contains("expected seconds from 0 to 86400"))
        #expect(try refused(["report", "staffing", "--target", "1.5"]).contains("'1.5' is invalid for '--target <target>': expected a share above 0 and below 1"))
        #expect(try refused(["report", "staffing", "--shrinkage", "1"]).contains("expected a share from 0 to under 1"))
        #expect(try refused(["report", "staffing", "--occupancy-cap", "0"]).contains("expected a share above 0 and at most 1"))
        #expect(try refused(["report", "fcr", "--window-days", "0"]).contains("'0' is invalid for '--window-days <window-days>': expected days from 1 to 365"))
        #expect(try refused(["report", "forecast", "--weeks", "53"]).contains("--weeks must be from 1 to 52, not 53"))
    }

    @Test func enumsListWhatTheyAccept() throws {
        #expect(try refused(["report", "aht", "--format", "xml"])
                == "casedesk: The value 'xml' is invalid for '--format <format>'. Please provide one of 'table', 'csv' or 'json'.\n")
        #expect(try refused(["report", "staffing", "--weekday", "funday"]).contains("'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'"))
        #expect(try refused(["case", "new", "--customer", "A", "--channel", "phone", "--subject", "s", "--priority", "P7"])
                .contains("'P7' is invalid for '--priority <priority>'. Please provide one of 'P1', 'P2', 'P3' or 'P4'."))
        #expect(try refused(["qa", "report", "--format", "pdf"]).contains("'table', 'csv' or 'json'"))
        #expect(try refused(["qa", "show", "1", "--format", "csv"]).contains("Please provide one of 'table' and 'json'"))
        #expect(try refused(["search", "refund", "--status", "open,archived"])
                .contains("'open,archived' is invalid for '--status <status>': unknown status 'archived' (one of: new, open, pending, resolved, closed)"))
        #expect(try refused(["case", "list", "--limit", "0"]).contains("'0' is invalid for '--limit <limit>': expected a count of 1 or more"))
        #expect(try refused(["customer", "find", "ann", "--limit", "0"]).contains("expected a count of 1 or more"))
        let help = try Casedesk.run(["report", "staffing", "--help"]).stdout
        #expect(help.contains("(values: mon, tue, wed, thu, fri,") && help.contains("(values: table, csv, json;"))
    }

    @Test func daysAreCheckedBeforeTheReportRuns() throws {
        #expect(try refused(["report", "sla", "--from", "2025-13-01"]) == "casedesk: The value '2025-13-01' is invalid for '--from <yyyy-mm-dd>'\n")
        #expect(try refused(["report", "csat", "--to", "yesterday"]).contains("'yesterday' is invalid for '--to <yyyy-mm-dd>'"))
        #expect(try refused(["train", "genericize", "--from", Self.db, "--out", "x", "--since", "2026-02-30"]).contains("--since <yyyy-mm-dd>"))
        #expect(try refused(["train", "genericize", "--from", Self.db, "--out", "x", "--cases", "1,a"]).contains("'1,a' is invalid for '--cases"))
        // A well-formed period still gets the core's check (the order of the two days).
        let backwards = try Casedesk.run(["report", "sla", "--from", "2025-07-02", "--to", "2025-07-01", "--db", Self.db])
        #expect(backwards.status == 1 && backwards.stderr.contains("is after --to"))
    }

    @Test func qaReportCSVIsCSV() throws {
        let r = try Casedesk.run(["qa", "report", "--format", "csv", "--db", Self.db])
        #expect(r.status == 0 && r.stdout.hasPrefix("agent,reviews,average_percent"), "\(r.stdout)\(r.stderr)")
    }
}
