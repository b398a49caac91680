import ArgumentParser
import CaseCore
import Foundation

/// `casedesk settings list|set`: the mail settings (admins set them).
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show and change settings (mail.sendmail, mail.from, …); admins only change them.",
        subcommands: [List.self, Set.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every setting with its value (or default) and what it does.")
        @OptionGroup var store: StoreOptions
        func run() throws {
            print(table(["KEY", "VALUE", "MEANING"], try store.open().settingsList().map { spec, value in
                [spec.key, value ?? spec.defaultValue.map { "\($0) (default)" } ?? "(not set)", spec.help]
            }))
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a setting, e.g. casedesk settings set mail.sendmail \"/usr/sbin/sendmail -t -i\".")
        @Argument var key: String
        @Argument var value: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try store.open().setSetting(key, value, by: store.login)
            print("\(key) = \(value)")
        }
    }
}
