import Foundation

/// Who is on the other end of a loopback TCP connection: on Linux, the owner of the peer's socket as
/// listed in /proc/net/tcp(6). The original let any local user talk to anyone's daemon (§7.24).
enum PeerCredentials {
    /// The uid owning the socket bound to `peerPort` and connected to `localPort`, if it can be found.
    static func uid(peerPort: Int, localPort: Int) -> UInt32? {
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = readWhole(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 7, port(fields[1]) == peerPort, port(fields[2]) == localPort else { continue }
                return UInt32(fields[7])
            }
        }
        return nil
    }

    /// "0100007F:1E64" → 7780.
    private static func port(_ field: Substring) -> Int? {
        field.split(separator: ":").last.flatMap { Int($0, radix: 16) }
    }

    static var currentUID: UInt32 { getuid() }

    /// procfs files report a size of 0, so they are read until end of file rather than by size.
    static func readWhole(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }
}
