import Foundation
import Testing

/// customer find/show/new, search, case new --customer-id, contact, pending, priority,
/// move, and the one-line refusals for bad input, through the real binary.
@Suite struct ContactCommandLineTests {
    @Test func customersSearchAndFollowUpsFromTheCommandLine() throws {
        let db = try Casedesk.freshDatabase()
        try #require(Casedesk.run(["user", "add", "alice", "--role", "agent", "--db", db]).status == 0)
        try #require(Casedesk.run(["user", "add", "dana", "--role", "lead", "--team", "Tier 2", "--db", db]).status == 0)
        let new = try Casedesk.run(["customer", "new", "--name", "Anna Müller", "--email", "anna@example.de",
                                    "--phone", "+44 20 7946 0018", "--account", "AC-1234567", "--db", db])
        #expect(new.status == 0)
        let customerId = new.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dup = try Casedesk.run(["customer", "new", "--name", "A M", "--phone", "020 7946 0018", "--db", db])
        #expect(dup.status == 1 && dup.stderr == "casedesk: customer #\(customerId) with that phone number already exists\n")
        let find = try Casedesk.run(["customer", "find", "muller", "--format", "json", "--db", db])
        #expect(find.status == 0 && find.stdout.contains("\"name\" : \"Anna Müller\""))

        // A name alone makes a new customer; an exact phone picks the existing one; --customer-id names one.
        let byName = try Casedesk.run(["case", "new", "--customer", "Anna Müller", "--channel", "phone", "--subject", "Hello", "--db", db])
        #expect(byName.status == 0 && byName.stderr.contains("(new customer)"))
        let byPhone = try Casedesk.run(["case", "new", "--customer", "Anna", "--phone", "020 7946 0018", "--channel", "phone",
                                        "--call-type", "billing.dispute", "--subject", "Charged twice for the kettle", "--db", db])
        #expect(byPhone.status == 0 && byPhone.stderr.contains("customer #\(customerId) (existing customer, same phone number)"))
        let id = byPhone.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let byId = try Casedesk.run(["case", "new", "--customer-id", customerId, "--channel", "email", "--subject", "Kettle again", "--db", db])
        #expect(byId.status == 0)
        let noCustomer = try Casedesk.run(["case", "new", "--customer-id", "999", "--channel", "email", "--subject", "x", "--db", db])
        #expect(noCustomer.status == 1 && noCustomer.stderr.hasPrefix("casedesk: no customer #999"))

        let show = try Casedesk.run(["customer", "show", "anna@example.de", "--db", db])
        #expect(show.status == 0 && show.stdout.contains("2 cases, 2 open"))

        let search = try Casedesk.run(["search", "kettle", "--format", "json", "--db", db])
        let hits = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]])
        #expect(hits.count == 2 && hits.allSatisfy { $0["customer"] as? String == "Anna Müller" && $0["snippet"] != nil && $0["call_type"] != nil })
        #expect(try Casedesk.run(["search", "AC-1234567", "--db", db]).stdout.contains("customer account: AC-1234567"))

        // Follow-ups, contact, priority, team.
        try #require(Casedesk.run(["case", "assign", id, "alice", "--db", db, "--as", "alice"]).status == 0)
        #expect(try Casedesk.run(["case", "pending", id, "--until", "2020-01-01 09:00", "--db", db, "--as", "alice"]).stderr
            .contains("is in the past"))
        #expect(try Casedesk.run(["case", "pending", id, "--until", "soon", "--db", db, "--as", "alice"]).stderr
            == "casedesk: cannot read the follow-up time 'soon' (use YYYY-MM-DD HH:MM, HH:MM (today) or tomorrow HH:MM)\n")
        #expect(try Casedesk.run(["case", "pending", id, "--until", "2099-01-01 09:00", "--db", db, "--as", "alice"]).status == 0)
        #expect(try Casedesk.run(["case", "contact", id, "--channel", "email", "Here is the receipt", "--db", db, "--as", "alice"]).status == 0)
        #expect(try Casedesk.run(["case", "contact", id, "--channel", "fax", "x", "--db", db, "--as", "alice"]).status != 0)
        let badPriority = try Casedesk.run(["case", "priority", id, "P9", "--reason", "x", "--db", db, "--as", "alice"])
        #expect(badPriority.status == 64
                && badPriority.stderr == "casedesk: The value 'P9' is invalid for '<priority>'. Please provide one of 'P1', 'P2', 'P3' or 'P4'.\n")
        #expect(try Casedesk.run(["case", "priority", id, "P1", "--reason", "card blocked abroad", "--db", db, "--as", "alice"]).status == 0)
        let badTeam = try Casedesk.run(["case", "move", id, "--team", "Nowhere", "--db", db, "--as", "alice"])
        #expect(badTeam.status == 1 && badTeam.stderr.hasPrefix("casedesk: no team 'Nowhere' (teams: "))
        let empty = try Casedesk.run(["search", "  ", "--db", db])
        #expect(empty.status == 1 && empty.stderr.hasPrefix("casedesk: search for something"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try Casedesk.run(["case", "show", id, "--format", "json", "--db", db]).stdout.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "open" && json["priority"] as? String == "P1")
    }
}
