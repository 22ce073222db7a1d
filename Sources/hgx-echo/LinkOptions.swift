import ArgumentParser

/// How to reach the daemon, for the commands that use one link.
struct LinkOptions: ParsableArguments {
    @Option(name: .customLong("ipc-port"), help: "The daemon's IPC port.")
    var ipcPort = 7772

    @Flag(name: .shortAndLong, help: "Narrate what happens.")
    var verbose = false
}
