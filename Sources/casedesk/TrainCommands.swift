import ArgumentParser
import CaseCore
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Training: case studies, role-play sessions, scoring.",
                                                    subcommands: [])
}
