import ArgumentParser

struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start the Hypergolix daemon (app) or a persistence server in the background.",
        subcommands: [StartApp.self, StartServer.self]
    )
}

struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a running Hypergolix daemon (app) or persistence server.",
        subcommands: [StopApp.self, StopServer.self]
    )
}
