import Foundation
import TestSupport
import Testing

/// The daemon serves its own OS user only: any local user could read everything through the original's
/// IPC port (HYPERGOLIX-0.1-WIRE §7.24).
@Suite struct PeerUserTests {
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var canSwitchUser: Bool {
        getuid() == 0 && setpriv != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    }

    @Test(.enabled(if: canSwitchUser, "needs root and setpriv to connect as another user"))
    func anotherUserIsRefused() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let port = await daemon.daemon.ipcPort()
        // A WebSocket upgrade request as `nobody`, then as ourselves: only the second is upgraded.
        let probe = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", \(port)))
            s.sendall(b"GET / HTTP/1.1\\r\\nHost: localhost\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                      b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n")
            print(s.recv(200).split(b"\\r\\n")[0].decode())
            """
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let stranger = try await Subprocess.run(
            URL(fileURLWithPath: try #require(Self.setpriv)),
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", probe])
        #expect(!stranger.output.contains("101"), "another user was upgraded: \(stranger.output) \(stranger.error)")
        #expect(stranger.output.hasPrefix("HTTP/1.1"), "\(stranger.output) \(stranger.error)")
        let owner = try await Subprocess.run(python, ["-c", probe])
        #expect(owner.output.contains("101"), "the daemon's own user was refused: \(owner.output) \(owner.error)")
    }
}
