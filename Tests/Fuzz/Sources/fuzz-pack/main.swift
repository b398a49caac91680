import CaseCore
import FuzzDriver
import Foundation

// One input = a content pack: calltypes.yaml, then (after a line `---8<---`) one script
// file. The loader must report problems with their file and line, never crash or hang.
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casedesk-fuzz-pack-\(getpid())")
try FileManager.default.createDirectory(at: directory.appendingPathComponent("scripts"), withIntermediateDirectories: true)
let separator = Data("\n---8<---\n".utf8)

func fuzzPack(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let data = Data(bytes: start, count: count)
    let cut = data.range(of: separator)
    let callTypes = cut.map { data[..<$0.lowerBound] } ?? data
    let script = cut.map { data[$0.upperBound...] } ?? Data()
    try? callTypes.write(to: directory.appendingPathComponent(PackLoader.callTypesFile))
    try? script.write(to: directory.appendingPathComponent("scripts/fuzz.yaml"))
    let (_, problems) = PackLoader.analyse(directory: directory)
    for p in problems where p.line < 0 { fatalError("a problem without a line: \(p)") }
    return 0
}

exit(runFuzzer(fuzzPack))
