import ArgumentParser
import Golix
import HGX
import HGXDemos
import Logging

/// The echo tutorial (seed 000) from the command line: run a responder on one daemon and a requester on
/// another, or both at once against two daemons.
@main
struct HGXEcho: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hgx-echo",
        abstract: "Hypergolix 101: a dynamic echo server and a requester that times round trips.",
        subcommands: [Respond.self, Request.self, Local.self]
    )
}

extension HGXEcho {
    struct Respond: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Answer echo requests until interrupted.")

        @OptionGroup var options: LinkOptions

        func run() async throws {
            let link = try await HGXLink.connect(configuration: .init(ipcPort: options.ipcPort, logger: quietLogger()))
            print("responder fingerprint: \(link.whoami.base64)")
            let verbose = options.verbose
            try await EchoDemo.runResponder(link: link) { event in
                if verbose { print("responder: \(event)") }
            }
            await link.stop()
        }
    }

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time echo round trips through a responder.")

        @OptionGroup var options: LinkOptions

        @Option(help: "The responder's fingerprint (base64, as `respond` prints it).")
        var responder: String

        @Option(help: "How many timed round trips.")
        var rounds = 10

        @Option(help: "Seconds to wait for the response and for each round trip.")
        var timeout = 60

        func run() async throws {
            guard let fingerprint = Ghid(text: responder) else { throw ValidationError("not a fingerprint: \(responder)") }
            let link = try await HGXLink.connect(configuration: .init(ipcPort: options.ipcPort, logger: quietLogger()))
            let verbose = options.verbose
            let times: [Duration]
            do {
                times = try await EchoDemo.runRequester(
                    link: link, responder: fingerprint, rounds: rounds, timeout: .seconds(timeout)
                ) { event in
                    if verbose || event.isRoundTrip { print("requester: \(event)") }
                }
            } catch {
                await link.stop()
                throw error
            }
            await link.stop()
            report(times)
        }
    }

    struct Local: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the responder on one daemon and the requester on another, in one process.")

        @Option(name: .customLong("responder-port"), help: "IPC port of the responder's daemon.")
        var responderPort = 7773

        @Option(name: .customLong("requester-port"), help: "IPC port of the requester's daemon.")
        var requesterPort = 7772

        @Option(help: "How many timed round trips.")
        var rounds = 10

        @Option(help: "Seconds to wait for the response and for each round trip.")
        var timeout = 60

        @Flag(name: .shortAndLong, help: "Narrate what happens.")
        var verbose = false

        func run() async throws {
            let responderLink = try await HGXLink.connect(configuration: .init(ipcPort: responderPort, logger: quietLogger()))
            let requesterLink = try await HGXLink.connect(configuration: .init(ipcPort: requesterPort, logger: quietLogger()))
            let verbose = self.verbose
            let responder = try await EchoDemo.startResponder(link: responderLink) { event in
                if verbose { print("responder: \(event)") }
            }
            let times: [Duration]
            do {
                times = try await EchoDemo.runRequester(
                    link: requesterLink, responder: responderLink.whoami, rounds: rounds, timeout: .seconds(timeout)
                ) { event in
                    if verbose || event.isRoundTrip { print("requester: \(event)") }
                }
            } catch {
                await responder.stop()
                await requesterLink.stop()
                await responderLink.stop()
                throw error
            }
            await responder.stop()
            await requesterLink.stop()
            await responderLink.stop()
            report(times)
        }
    }
}
