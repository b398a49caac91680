// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "CaseDesk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "casedesk", targets: ["casedesk"]),
        .executable(name: "casedesk-bench", targets: ["casedesk-bench"]),
        .library(name: "CaseCore", targets: ["CaseCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .target(name: "CaseCore", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "SwiftCSV", package: "SwiftCSV"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "CaseDesk", dependencies: ["CaseCore", "CNcursesw"]),
        .executableTarget(name: "casedesk", dependencies: [
            "CaseCore", "CaseDesk",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "casedesk-bench", dependencies: [
            "CaseCore", "CaseDesk",
            // The raw SQLite C API, for the bare figures beside ours.
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "CaseCoreTests", dependencies: ["CaseCore", "casedesk", .product(name: "Logging", package: "swift-log")],
                    exclude: ["mail-corpus"]),
        .testTarget(name: "CaseDeskTests", dependencies: ["CaseDesk", "CaseCore"], exclude: ["golden"]),
        .testTarget(name: "EndToEndTests", dependencies: ["CaseCore", "casedesk"]),
    ]
)
