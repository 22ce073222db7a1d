import ArgumentParser

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hgx-bench",
        abstract: "Hypergolix benchmarks. Build with -c release: debug numbers mean nothing.",
        subcommands: [GolixBench.self, ServerBench.self, DaemonBench.self]
    )
}
