import CaseCore
import Foundation

/// One column of a report: its heading in the table, its name in the CSV, and its cell in each.
/// A column with no heading is in the CSV only; one with no name is in the table only
/// (a target in minutes for a program, in words for a person).
struct ReportColumn<Row> {
    let heading: String?
    let name: String?
    let cell: (Row) -> String
    let csvCell: (Row) -> String

    /// The same text in both.
    init(_ heading: String, _ name: String, _ cell: @escaping (Row) -> String) {
        self.heading = heading; self.name = name; self.cell = cell; self.csvCell = cell
    }
    /// Words for a person in the table, plain numbers for a program in the CSV.
    init(_ heading: String?, _ name: String?, table: @escaping (Row) -> String, csv: @escaping (Row) -> String) {
        self.heading = heading; self.name = name; self.cell = table; self.csvCell = csv
    }
    static func table(_ heading: String, _ cell: @escaping (Row) -> String) -> Self { Self(heading, nil, table: cell, csv: { _ in "" }) }
    static func csv(_ name: String, _ cell: @escaping (Row) -> String) -> Self { Self(nil, name, table: { _ in "" }, csv: cell) }
}

/// A report's rows rendered from one column list: the table a person reads and the CSV a program does.
struct ReportTable {
    let headings: [String]
    let cells: [[String]]
    let names: [String]
    let records: [[String]]

    /// `footer`: rows only the table shows (a total a program would add up itself).
    init<Row>(_ rows: [Row], _ columns: [ReportColumn<Row>], footer: [[String]] = []) {
        let shown = columns.filter { $0.heading != nil }, exported = columns.filter { $0.name != nil }
        headings = shown.map { $0.heading! }
        cells = rows.map { r in shown.map { $0.cell(r) } } + footer
        names = exported.map { $0.name! }
        records = rows.map { r in exported.map { $0.csvCell(r) } }
    }

    var text: String { table(headings, cells) }
}

extension OutputFormat {
    /// What every report prints: JSON of the whole result; the CSV rows of its tables under the
    /// first one's column names; or, for a person, what `table` prints.
    func emit<R: Encodable>(_ result: R, csv tables: @autoclosure () -> [ReportTable], table: () -> Void) throws {
        switch self {
        case .json: print(try jsonString(result))
        case .csv:
            let tables = tables()
            print(tables.first?.names.joined(separator: ",") ?? "")
            for t in tables { for r in t.records { printData(csvLine(r)) } }
        case .table: table()
        }
    }
}

func heading(_ title: String, _ p: ReportPeriod) -> String { "\(title) · \(p.firstDay) to \(p.lastDay)" }

func csvLine(_ cells: [String]) -> String { cells.map { CaseExport.csvField($0) }.joined(separator: ",") }

/// A number for a program: whole numbers without a fraction, nothing for none.
func num(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
    return String(format: "%.4f", v)
}

func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
