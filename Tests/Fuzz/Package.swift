// swift-tools-version: 6.0
// Coverage-guided fuzz targets (libFuzzer) for the import reader and the content-pack
// loader. Built and run by scripts/fuzz with -sanitize=fuzzer,address; not part of the
// main package's build.
import PackageDescription

let package = Package(
    name: "CaseDeskFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "CaseDesk", path: "../..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "fuzz-import", dependencies: ["FuzzDriver", .product(name: "CaseCore", package: "CaseDesk")]),
        .executableTarget(name: "fuzz-pack", dependencies: ["FuzzDriver", .product(name: "CaseCore", package: "CaseDesk")]),
    ]
)
