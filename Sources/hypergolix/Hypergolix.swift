import ArgumentParser

@main
struct Hypergolix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hypergolix",
        abstract: "Programmable Dropbox: end-to-end encrypted object sync over the Golix protocol.",
        version: "0.2.0",
        subcommands: [DemoCommand.self, ConfigCommand.self, StartCommand.self, StopCommand.self, GolixCommand.self]
    )
}
