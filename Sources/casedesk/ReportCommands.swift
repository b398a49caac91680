import ArgumentParser
import CaseCore
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Contact-centre metrics: AHT, FCR, SLA, CSAT, volume, arrivals, flags, staffing.",
                                                    subcommands: [])
}
