import Foundation
import Testing
@testable import CaseCore

/// The pack shipped in Resources/pack, found from this file so CASEDESK_PACK cannot redirect it.
private let realPack = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Resources/pack", isDirectory: true)

/// A throwaway pack directory holding `files` (path inside the pack -> text).
private func tempPack(_ files: [String: String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("casedesk-pack-\(UUID().uuidString)", isDirectory: true)
    for (rel, text) in files {
        let url = dir.appendingPathComponent(rel)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
    return dir
}

private let smallCallTypes = """
    business_hours:
      time_zone: Europe/Madrid
      mon: "09:00-18:00"
    resolution_codes:
      - code: fixed
        name: Fixed
    call_types:
      - code: billing
        name: Billing
        priority: P3
        first_response: 2h
        resolution: 1d
      - code: billing.dispute
        name: Dispute
        priority: p2
        first_response: 30m
        resolution: 1d4h

    """

/// A valid script; tests break one line of it.
private let goodScript = """
    call_type: billing.dispute
    title: Dispute
    steps:
      - id: greet
        kind: greet
        title: Greet
        responses:
          - id: hello
            title: Hello
            text: |
              Hello {{customer.first_name}},
              this is {{agent.name}} about case {{case.id}}.
      - id: close
        kind: close
        title: Close

    """

@Suite struct ContentPackTests {
    @Test func realPackLoadsAndLintsClean() throws {
        let problems = PackLoader.lint(directory: realPack)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
        let pack = try PackLoader.load(directory: realPack)

        #expect(pack.scripts.count >= 12)
        #expect(Set(pack.callTypes.map(\.category)).count >= 5)
        #expect(pack.callTypes.count >= 16)
        #expect(pack.resolutionCodes.count >= 8)
        let branching = pack.scripts.filter { $0.steps.contains { !$0.choices.isEmpty } }
        #expect(branching.count >= 3)
        // Every leaf call type has its script, and every script has the five kinds of step.
        let codes = pack.callTypes.map(\.code)
        let leaves = codes.filter { c in !codes.contains { $0.hasPrefix(c + ".") } }
        #expect(Set(leaves) == Set(pack.scripts.map(\.callType)))
        for script in pack.scripts {
            #expect(script.steps.count >= 5)
            #expect(Set(script.steps.map(\.kind)) == Set(StepKind.allCases), "\(script.callType)")
        }
        #expect(pack.scorecards.first?.criteria.reduce(0) { $0 + $1.weight } == 100)
        #expect(pack.businessHours.timeZone == "Europe/London")
        #expect(pack.businessHours.days[1] == BusinessHours.Span(openMinute: 8 * 60, closeMinute: 20 * 60))
        #expect(pack.businessHours.days[7] == nil)
        let dispute = try #require(pack.callTypes.first { $0.code == "billing.dispute" })
        #expect(dispute.defaultPriority == .p2 && dispute.firstResponseMinutes == 60 && dispute.resolutionMinutes == 720)
        // Block text loses its trailing break.
        #expect(pack.scripts.allSatisfy { $0.steps.allSatisfy { $0.responses.allSatisfy { !$0.text.hasSuffix("\n") } } })
    }

    @Test func smallPackParsesFields() throws {
        let dir = try tempPack(["calltypes.yaml": smallCallTypes, "scripts/billing.dispute.yaml": goodScript])
        let pack = try PackLoader.load(directory: dir)
        #expect(pack.callTypes[1] == CallType(code: "billing.dispute", name: "Dispute", defaultPriority: .p2,
                                              firstResponseMinutes: 30, resolutionMinutes: 1680))
        #expect(pack.businessHours == BusinessHours(timeZone: "Europe/Madrid", days: [1: .init(openMinute: 540, closeMinute: 1080)]))
        #expect(pack.scripts[0].steps[0].responses[0].text == "Hello {{customer.first_name}},\nthis is {{agent.name}} about case {{case.id}}.")
    }

    @Test func unknownPlaceholderIsReportedWithFileAndLine() throws {
        let script = goodScript.replacingOccurrences(of: "this is {{agent.name}}", with: "this is {{customer.nickname}}")
        let dir = try tempPack(["calltypes.yaml": smallCallTypes, "scripts/billing.dispute.yaml": script])
        let problems = PackLoader.lint(directory: dir)
        #expect(problems.count == 1)
        let p = try #require(problems.first)
        #expect(p.file == PackLoader.displayBase(dir) + "/scripts/billing.dispute.yaml")
        #expect(p.line == 12)   // the second line of the block text
        #expect(p.message == "unknown placeholder {{customer.nickname}}")
        #expect(p.description.hasSuffix("scripts/billing.dispute.yaml:12: unknown placeholder {{customer.nickname}}"))
        #expect(throws: PackError.self) { try PackLoader.load(directory: dir) }
    }

    @Test func unreachableStepIsReported() throws {
        let script = """
            call_type: billing.dispute
            title: Dispute
            steps:
              - id: greet
                kind: greet
                title: Greet
                next: close
              - id: verify
                kind: verify
                title: Verify
              - id: close
                kind: close
                title: Close
              - id: after_close
                kind: diagnose
                title: Never
            """
        let dir = try tempPack(["calltypes.yaml": smallCallTypes, "scripts/billing.dispute.yaml": script])
        let problems = PackLoader.lint(directory: dir).map(\.description)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.hasSuffix("scripts/billing.dispute.yaml:8: step 'verify' can never be reached from the first step 'greet'") })
        #expect(problems.contains { $0.hasSuffix("scripts/billing.dispute.yaml:14: step 'after_close' can never be reached from the first step 'greet'") })
    }

    @Test func questionStepReachesOnlyItsChoices() throws {
        let script = """
            call_type: billing.dispute
            title: Dispute
            steps:
              - id: ask
                kind: diagnose
                title: Ask
                question: Twice?
                choices:
                  - answer: "Yes"
                    next: refund
                  - answer: "No"
                    next: nowhere
              - id: skipped
                kind: resolve
                title: Only reachable by falling through, which a question step never does
              - id: refund
                kind: close
                title: Refund
            """
        let dir = try tempPack(["calltypes.yaml": smallCallTypes, "scripts/billing.dispute.yaml": script])
        let problems = PackLoader.lint(directory: dir).map { "\($0.line): \($0.message)" }
        #expect(problems == [
            "12: answer 'No' of step 'ask' leads to unknown step 'nowhere'",
            "13: step 'skipped' can never be reached from the first step 'ask'",
        ])
    }

    @Test func scriptForUnknownCallTypeIsReported() throws {
        let script = goodScript.replacingOccurrences(of: "call_type: billing.dispute", with: "call_type: billing.disputes")
        let dir = try tempPack(["calltypes.yaml": smallCallTypes, "scripts/billing.disputes.yaml": script])
        let problems = PackLoader.lint(directory: dir)
        #expect(problems.map(\.line) == [1])
        #expect(problems.first?.file.hasSuffix("scripts/billing.disputes.yaml") == true)
        #expect(problems.first?.message == "script for unknown call type 'billing.disputes' (not in calltypes.yaml)")
    }

    @Test func brokenYAMLGivesFileAndLineNotACrash() throws {
        let script = goodScript.replacingOccurrences(of: "    kind: close", with: "    kind: [close")
        let dir = try tempPack(["calltypes.yaml": smallCallTypes, "scripts/billing.dispute.yaml": script])
        let problems = PackLoader.lint(directory: dir)
        #expect(problems.count == 1)
        let p = try #require(problems.first)
        #expect(p.file.hasSuffix("scripts/billing.dispute.yaml"))
        #expect(p.line >= 14)
        #expect(p.message.hasPrefix("YAML syntax error: "))
        do {
            _ = try PackLoader.load(directory: dir)
            Issue.record("load should have thrown")
        } catch let e as PackError {
            #expect(e == p)
        }

        // A tab indent and a duplicated key are YAML errors too, each on its line.
        let tabbed = try tempPack(["calltypes.yaml": "call_types:\n\t- code: x\n"])
        let tabProblem = try #require(PackLoader.lint(directory: tabbed).first)
        #expect(tabProblem.line == 2 && tabProblem.message.hasPrefix("YAML syntax error"), "\(tabProblem)")
        let dup = try tempPack(["calltypes.yaml": smallCallTypes + "call_types: []\n"])
        #expect(PackLoader.lint(directory: dup).first?.message == "duplicate key 'call_types'")
    }

    @Test func fieldProblemsAreAllReported() throws {
        let callTypes = """
            business_hours:
              time_zone: Mars/Olympus
              mon: "20:00-08:00"
            resolution_codes:
              - code: fixed
                name: Fixed
              - code: fixed
                name: Fixed again
            call_types:
              - code: billing.dispute
                name: Dispute
                priority: P5
                first_response: soon
                resolution: 2d
              - code: device
                name: Device
                priority: P3
                first_response: 2h
              - code: device
                name: Device again
                priority: P3
                first_response: 2h
                resolution: 1d
            """
        let script = """
            call_type: device
            title: Device
            steps:
              - id: greet
                kind: hello
                title: Greet
              - id: greet
                kind: close
                title: Close
                respones: []
            """
        let dir = try tempPack(["calltypes.yaml": callTypes, "scripts/device.yaml": script])
        let prefix = PackLoader.displayBase(dir) + "/"
        let got = PackLoader.lint(directory: dir).map { $0.description.replacingOccurrences(of: prefix, with: "") }
        let expected = [
            "calltypes.yaml:2: unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/London)",
            "calltypes.yaml:3: bad opening hours '20:00-08:00' for mon (expected \"HH:MM-HH:MM\", e.g. \"08:00-20:00\")",
            "calltypes.yaml:7: duplicate resolution code 'fixed' (first at line 5)",
            "calltypes.yaml:10: call type 'billing.dispute' has no parent: add 'billing' to call_types",
            "calltypes.yaml:12: bad priority 'P5' (expected P1, P2, P3 or P4)",
            "calltypes.yaml:13: bad duration 'soon' (use minutes, hours or days: 30m, 4h, 2d, 1h30m)",
            "calltypes.yaml:15: a call type is missing required field 'resolution'",
            "calltypes.yaml:19: duplicate call type 'device' (first at line 15)",
            "scripts/device.yaml:5: bad step kind 'hello' (expected one of greet, verify, diagnose, resolve, close)",
            "scripts/device.yaml:7: duplicate step id 'greet' (first at line 4)",
            "scripts/device.yaml:10: unknown field 'respones' in a step (expected id, kind, title, question, choices, next, responses)",
        ]
        #expect(got == expected)
    }

    @Test func missingPackDirectoryIsOneClearProblem() {
        let dir = URL(fileURLWithPath: "/nonexistent/casedesk-pack")
        let problems = PackLoader.lint(directory: dir)
        #expect(problems.map(\.description) == ["/nonexistent/casedesk-pack/calltypes.yaml: file not found"])
    }

    @Test func writeThenLoadRoundTrips() throws {
        let pack = try PackLoader.load(directory: realPack)
        let dir = try tempPack([:])
        try PackWriter.write(pack, to: dir)
        #expect(PackLoader.lint(directory: dir).isEmpty)
        #expect(try PackLoader.load(directory: dir) == pack)

        // Awkward text survives too: YAML-looking words, quotes, colons, UTF-8, leading spaces.
        var odd = pack
        odd.scripts[0].title = "yes"
        odd.scripts[0].steps[0].responses[0].text = "  Hola {{customer.first_name}}: \"¿Qué tal?\" — 李娜 👋\n\n  # not a comment"
        odd.scripts[0].steps[0].responses[0].title = "123"
        odd.resolutionCodes[0].name = "null"
        odd.resolutionCodes[1].name = "~"
        odd.callTypes[0].resolutionMinutes = 150
        odd.businessHours = .always
        try PackWriter.write(odd, to: dir)
        #expect(try PackLoader.load(directory: dir) == odd)

        // A second export into the same directory leaves no stale script behind.
        var fewer = odd
        fewer.scripts.removeLast()
        try PackWriter.write(fewer, to: dir)
        #expect(try PackLoader.load(directory: dir) == fewer)
    }

    @Test func placeholderNamesAndFill() {
        let text = "Hola {{customer.first_name}} {{ customer.last_name }}, caso {{case.id}} · {{customer.nickname}} {{customer.first_name}} {{not a name}}"
        #expect(Placeholders.names(in: text) == ["customer.first_name", "customer.last_name", "case.id", "customer.nickname"])
        #expect(Placeholders.unknownNames(in: text) == ["customer.nickname"])
        let filled = Placeholders.fill(text, with: ["customer.first_name": "李娜", "customer.last_name": "Núñez", "case.id": ""])
        #expect(filled == "Hola 李娜 Núñez, caso {{case.id}} · {{customer.nickname}} 李娜 {{not a name}}")

        var values = PlaceholderValues()
        values["customer.name"] = "María Núñez 👩🏽‍💼"
        values["agent.name"] = "{{case.id}}"   // never re-expanded
        #expect(values.fill("{{customer.name}} / {{agent.name}} / {{case.id}}") == "María Núñez 👩🏽‍💼 / {{case.id}} / {{case.id}}")
        #expect(Placeholders.fill("no placeholders {{ here", with: ["here": "x"]) == "no placeholders {{ here")

        let required = ["customer.first_name", "customer.last_name", "customer.name", "customer.email", "customer.phone",
                        "customer.account", "agent.name", "agent.first_name", "case.id", "case.subject", "case.call_type",
                        "case.channel", "case.due", "case.priority"]
        #expect(Set(Placeholders.known.keys) == Set(required))
    }

    @Test func durations() {
        #expect(PackDuration.parse("30m") == 30)
        #expect(PackDuration.parse("4h") == 240)
        #expect(PackDuration.parse("2d") == 2880)
        #expect(PackDuration.parse("1h30m") == 90)
        #expect(PackDuration.parse("30") == nil)
        #expect(PackDuration.parse("1h1h") == nil)
        #expect(PackDuration.parse("1w") == nil)
        #expect(PackDuration.format(1440) == "1d")
        #expect(PackDuration.format(1530) == "1d1h30m")
        for m in [1, 59, 60, 61, 1439, 1440, 10_000] { #expect(PackDuration.parse(PackDuration.format(m)) == m) }
    }

    @Test func locatorPrefersEnvironmentThenFindsTheSourcePack() throws {
        #expect(PackLocator.defaultPackDirectory(environment: ["CASEDESK_PACK": "/srv/pack"])?.path == "/srv/pack")
        let found = try #require(PackLocator.defaultPackDirectory(environment: [:]))
        #expect(FileManager.default.fileExists(atPath: found.appendingPathComponent("calltypes.yaml").path))
    }
}
