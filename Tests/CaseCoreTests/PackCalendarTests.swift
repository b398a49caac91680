import Foundation
import Testing
@testable import CaseCore

/// Holidays, special hours, service settings and the pending pause in a content pack:
/// parsed, lint-checked with FILE:LINE, written back and read again unchanged.
@Suite struct PackCalendarTests {
    static func pack(_ calltypes: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-pack-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(calltypes.utf8).write(to: dir.appendingPathComponent("calltypes.yaml"))
        return dir
    }

    static let good = """
        business_hours:
          time_zone: Europe/London
          mon: "08:00-20:00"
          holidays:
            - date: 2026-12-25
              name: Christmas Day
          special_hours:
            - date: 2026-12-24
              name: Christmas Eve
              hours: "08:00-14:00"
        service:
          at_risk_minutes: 90
          repeat_window_days: 14
          shrinkage: 35%
          occupancy_cap: 0.8
          qa_sample_per_agent_week: 3
          csat_alert_at_or_below: 1
        call_types:
          - code: billing
            name: Billing
            priority: P3
            first_response: 2h
            resolution: 1d
            pause_when_pending: true
        """

    @Test func parsesAndRoundTrips() throws {
        let dir = try Self.pack(Self.good)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(PackLoader.lint(directory: dir).isEmpty)
        let pack = try PackLoader.load(directory: dir)
        #expect(pack.businessHours.dated == [
            DatedHours(date: "2026-12-24", name: "Christmas Eve", span: .init(openMinute: 480, closeMinute: 840)),
            DatedHours(date: "2026-12-25", name: "Christmas Day", span: nil)])
        #expect(pack.settings == ServiceSettings(atRiskMinutes: 90, repeatWindowDays: 14, shrinkage: 0.35, occupancyCap: 0.8,
                                                 qaSamplePerAgentWeek: 3, csatAlertAtOrBelow: 1))
        #expect(pack.callTypes.first?.pauseWhenPending == true)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-pack-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        try PackWriter.write(pack, to: out)
        #expect(try PackLoader.load(directory: out) == pack)

        // Installed and read back from the database.
        let (store, _) = try Fixtures.store()
        try store.install(pack)
        #expect(try store.serviceSettings() == pack.settings)
        #expect(try store.businessCalendar().hours.dated == pack.businessHours.dated)
        #expect(try store.callTypes().first { $0.code == "billing" }?.pauseWhenPending == true)
    }

    @Test func withoutServiceTheDefaults() throws {
        let s = ServiceSettings()
        #expect(s.atRiskMinutes == 60 && s.repeatWindowDays == 7 && s.shrinkage == 0.30 && s.csatAlertAtOrBelow == 2)
        // Hours stored before dated entries existed still read.
        let old = #"{"timeZone":"UTC","days":{"1":{"openMinute":0,"closeMinute":60}}}"#
        let hours = try JSONDecoder().decode(BusinessHours.self, from: Data(old.utf8))
        #expect(hours.dated.isEmpty && hours.days[1]?.closeMinute == 60)
    }

    @Test func lintNamesEachProblemWithItsLine() throws {
        let bad = """
            business_hours:
              time_zone: Europe/London
              mon: "08:00-20:00"
              holidays:
                - date: 2026-02-30
                  name: No such day
                - date: 2026-12-25
                  name: Christmas Day
              special_hours:
                - date: 2026-12-25
                  name: Twice
                  hours: "08:00-12:00"
                - date: 2026-12-24
                  name: Backwards
                  hours: "14:00-08:00"
            service:
              at_risk_minutes: soon
              shrinkage: 120%
              repeat_window: 7
            call_types:
              - code: billing
                name: Billing
                priority: P3
                first_response: 2h
                resolution: 1d
                pause_when_pending: maybe
            """
        let dir = try Self.pack(bad)
        defer { try? FileManager.default.removeItem(at: dir) }
        let got = PackLoader.lint(directory: dir).map { "\($0.line): \($0.message)" }
        #expect(got == [
            "5: bad date '2026-02-30' (expected YYYY-MM-DD, e.g. 2026-12-25)",
            "10: 2026-12-25 is listed twice (first at line 7): one entry per day",
            "15: bad opening hours '14:00-08:00' for 2026-12-24 (expected \"HH:MM-HH:MM\"; list a closed day under holidays)",
            "17: bad at_risk_minutes 'soon' (whole minutes from 1 to 10080)",
            "18: bad shrinkage '120%' (a percentage from 0% to 95%, e.g. 30%)",
            "19: unknown field 'repeat_window' in service (expected \(FileReader.serviceKeys.joined(separator: ", ")))",
            "26: bad pause_when_pending 'maybe' (expected true or false)",
        ])
    }
}
