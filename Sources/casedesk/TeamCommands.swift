import ArgumentParser
import CaseCore
import Foundation

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "team", abstract: "Teams and their assignment policies.",
                                                    subcommands: [])
}
