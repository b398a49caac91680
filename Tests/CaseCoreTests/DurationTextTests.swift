import Testing
@testable import CaseCore

/// One home for durations on screen: the SLA clock and handle times.
@Suite struct DurationTextTests {
    @Test func theSLAClockAlwaysShowsItsUnitInSixCharactersAtMost() {
        let cases: [(Double, String)] = [
            (0, "0m"), (59, "0m"), (45 * 60, "45m"), (-5 * 60, "-5m"),
            (60 * 60, "1h00m"), (5 * 3600 + 7 * 60, "5h07m"), (-(9 * 3600 + 59 * 60), "-9h59m"),
            (10 * 3600, "10h"), (23 * 3600 + 59 * 60, "23h"), (-16 * 3600 - 26 * 60, "-16h"),
            (86_400, "1d00h"), (3 * 86_400 + 4 * 3600, "3d04h"), (-(9 * 86_400 + 23 * 3600), "-9d23h"),
            (10 * 86_400, "10d"), (-(120 * 86_400), "-120d"), (1e300, "11574074d"),
        ]
        for (seconds, text) in cases { #expect(DurationText.clock(seconds) == text, "\(seconds)") }
        for seconds in stride(from: -12 * 86_400.0, through: 12 * 86_400, by: 97) {
            #expect(DurationText.clock(seconds).count <= 6, "\(seconds)")
        }
    }

    @Test func handleTimesAreMinutesAndSecondsThenHours() {
        #expect(DurationText.elapsed(nil) == "-" && DurationText.elapsed(.nan) == "-" && DurationText.elapsed(.infinity) == "-")
        #expect(DurationText.elapsed(0) == "0:00" && DurationText.elapsed(65) == "1:05" && DurationText.elapsed(3599.4) == "59:59")
        #expect(DurationText.elapsed(3600) == "1:00:00" && DurationText.elapsed(3723) == "1:02:03")
        #expect(DurationText.elapsed(-5) == "0:00")
    }
}
