import CaseDesk
import Foundation

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
