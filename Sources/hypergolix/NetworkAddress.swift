import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The original's special host names: AUTO (this machine's LAN address) and ANY (every interface).
enum NetworkAddress {
    static func resolve(_ host: String) throws -> String {
        switch host {
        case "ANY": return "0.0.0.0"
        case "AUTO":
            guard let address = firstExternalIPv4() else {
                throw ValidationError("--host AUTO: this machine has no non-loopback IPv4 address")
            }
            return address
        default: return host
        }
    }

    static func firstExternalIPv4() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == UInt16(AF_INET) else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
            else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !text.hasPrefix("127.") { return text }
        }
        return nil
    }
}
