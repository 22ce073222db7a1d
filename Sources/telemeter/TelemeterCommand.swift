import ArgumentParser
import Foundation
import Golix
import HGX
import HGXDemos
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The telemeter tutorial (seeds 001/003) as a command: by default a detached sender that reports this
/// machine's CPU, memory and disk to the monitor it pairs with; with `--telereader FINGERPRINT` the monitor.
@main
struct TelemeterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemeter",
        abstract: "A simple remote telemetry app.",
        discussion: """
            Run `telemeter` on the machine to watch: it starts in the background, prints its fingerprint and
            reports to the first monitor that pairs with it. Run `telemeter --telereader FINGERPRINT` on the
            monitoring machine to pair and print its reports; add `--interval SECONDS` to set how often the
            telemeter reports. `telemeter --stop` stops the background telemeter.
            """
    )

    @Option(help: "Pass a telemeter fingerprint to run as a reader.")
    var telereader: String?

    @Option(help: "Reader: set the telemeter's reporting interval (seconds). Sender: the interval until a reader sets one.")
    var interval: Double?

    @Option(name: .customLong("minimum-interval"), help: "Sender: never report more often than this (seconds).")
    var minimumInterval = 1.0

    @Option(help: "The pid file of the background telemeter.")
    var pidfile = "telemeter.pid"

    @Flag(help: "Stop the background telemeter named by --pidfile.")
    var stop = false

    @Flag(help: "Sender: stay in the foreground instead of detaching.")
    var foreground = false

    @Option(help: "Sender: append the background telemeter's output to this file.")
    var log: String?

    @Option(name: .customLong("ipc-port"), help: "The Hypergolix daemon's IPC port.")
    var ipcPort = 7772

    func run() async throws {
        if let telereader {
            guard let fingerprint = Ghid(text: telereader) else { throw ValidationError("not a fingerprint: \(telereader)") }
            try await runReader(telemeter: fingerprint)
        } else if stop {
            try stopDetached()
        } else if foreground || Detacher.isDetachedChild {
            try await runSender()
        } else {
            try startDetached()
        }
    }

    private var linkConfiguration: HGXLink.Configuration {
        var logger = Logger(label: "telemeter")
        logger.logLevel = .warning
        return HGXLink.Configuration(ipcPort: ipcPort, connectTimeout: .seconds(60), reconnectWait: nil, logger: logger)
    }

    private func runReader(telemeter: Ghid) async throws {
        let link = try await HGXLink.connect(configuration: linkConfiguration)
        print("My fingerprint is: \(link.whoami.base64)")
        let monitor = TelemeterMonitor(link: link, telemeter: telemeter) { print($0) }
        try await monitor.start()
        if let interval { try await monitor.setInterval(seconds: interval) }
        await waitForSignal()
        await link.stop()
    }

    private func runSender() async throws {
        let pidFile = PidFile(path: absolute(pidfile))
        let link: HGXLink
        do {
            link = try await HGXLink.connect(configuration: linkConfiguration)
        } catch {
            Detacher.report("cannot reach the Hypergolix daemon on port \(ipcPort): \(error)")
            throw error
        }
        let telemeter = Telemeter(
            link: link, initialInterval: interval ?? 5, policy: IntervalPolicy(minimum: minimumInterval),
            onEvent: { print($0) })
        do {
            try await telemeter.start()
            try pidFile.write()
        } catch {
            Detacher.report("could not start: \(error)")
            await link.stop()
            throw error
        }
        let status = await telemeter.status?.ghid.base64 ?? "?"
        print("My fingerprint is: \(link.whoami.base64)")
        print("Status object: \(status)")
        Detacher.report("ready \(link.whoami.base64) \(status)")
        let reporting = Task { await telemeter.run() }
        await waitForSignal()
        reporting.cancel()
        await reporting.value
        await link.stop()
        pidFile.remove()
    }

    private func startDetached() throws {
        var arguments = ["--foreground", "--pidfile", absolute(pidfile), "--ipc-port", String(ipcPort),
                         "--minimum-interval", String(minimumInterval)]
        if let interval { arguments += ["--interval", String(interval)] }
        let (pid, message) = try Detacher.spawn(arguments: arguments, logFile: log.map(absolute))
        let parts = message.split(separator: " ")
        print("telemeter running in the background (pid \(pid), pid file \(absolute(pidfile)))")
        if parts.count == 2 {
            print("My fingerprint is: \(parts[0])")
            print("Status object: \(parts[1])")
        }
    }

    private func stopDetached() throws {
        let pidFile = PidFile(path: absolute(pidfile))
        guard let pid = pidFile.read() else { throw ValidationError("no telemeter pid in \(pidFile.path)") }
        guard PidFile.isRunning(pid) else {
            try? FileManager.default.removeItem(atPath: pidFile.path)
            throw ValidationError("the telemeter (pid \(pid)) was not running; removed the stale pid file")
        }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(30)
        while PidFile.isRunning(pid), ContinuousClock.now < deadline { usleep(50_000) }
        guard !PidFile.isRunning(pid) else { throw ValidationError("the telemeter (pid \(pid)) did not exit within 30 s") }
        print("telemeter (pid \(pid)) stopped")
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
