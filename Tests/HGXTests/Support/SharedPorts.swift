import Foundation
import TestSupport

/// The original's fixed ports (7771 while an app starts, 7777 for the server's health check) are shared by
/// everything on this machine, including other test processes that ``InteropLock`` cannot see. Runs wait for
/// them to be free, looking only at `/proc/net/tcp` (connecting to 7771 would corrupt a start in progress).
enum SharedPorts {
    static let fixed: Set<Int> = [7771, 7777]

    /// Whether any of the fixed ports is listening now.
    static var busy: Bool {
        ["/proc/net/tcp", "/proc/net/tcp6"].contains { path in
            // procfs files report a size of 0, so they are read to the end rather than by size.
            let data = FileHandle(forReadingAtPath: path)?.readDataToEndOfFile() ?? Data()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().contains { line in
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 3, fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
                    let port = Int(fields[1][fields[1].index(after: colon)...], radix: 16)
                else { return false }
                return fixed.contains(port)
            }
        }
    }

    /// Starts `run`, first waiting (up to `patience`) while another process holds the fixed ports, and
    /// trying again if one took them in between.
    static func start(_ run: InteropRun, patience: Duration = .seconds(1800)) async throws {
        let deadline = ContinuousClock.now + patience
        while true {
            while busy, ContinuousClock.now < deadline { try await Task.sleep(for: .seconds(2)) }
            do {
                try await run.start()
                return
            } catch let failure as InteropFailure where failure.description.contains("already in use") && ContinuousClock.now < deadline {
                await run.stop()
                try await Task.sleep(for: .seconds(5))
            }
        }
    }
}
