import ArgumentParser

/// `casedesk customer …`: one line per subcommand, each defined in its own file.
struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "customer", abstract: "A customer's data.",
        subcommands: [
            CustomerExport.self,
            CustomerErase.self,
        ])
}
