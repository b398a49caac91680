import CaseCore
import CaseDesk
import Foundation

/// Times in tables and timelines as the desk shows them: to the minute, in the pack's
/// business zone (the zone "today", due times and typed times are counted in), whatever
/// the zone of the terminal running the command.
struct ShownTime {
    let zone: TimeZone
    init(_ store: CaseStore) throws { zone = try store.businessZone() }
    func callAsFunction(_ date: Date) -> String { DateText.format(date, "yyyy-MM-dd HH:mm", zone) }
}

// Every line the command line prints for a person goes through `SafeText`: this
// `print` shadows the standard library's inside the executable, so a customer's
// name holding an escape sequence shows as text (`␛]0;…`) and cannot retitle or
// clear the terminal, whichever command prints it. JSON is escaped by `jsonString`
// (so this changes nothing in it); CSV is data and goes out unchanged through
// `printData`.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(SafeText.block(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}

/// A CSV line (or a CSV document): data for a program, printed as it is.
func printData(_ text: String, terminator: String = "\n") {
    Swift.print(text, terminator: terminator)
}
