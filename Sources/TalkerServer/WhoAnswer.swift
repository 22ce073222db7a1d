import NIOCore

/// One server's answer to `/who`: the names of its clients, one per line, under
/// ``WhoAnswer/messageType``.
public struct WhoAnswer: Hashable, Sendable {
    public static let messageType = "talker.who"

    public let names: [String]

    public init(names: [String]) {
        self.names = names
    }

    public var encoded: ByteBuffer {
        ByteBuffer(string: names.joined(separator: "\n"))
    }

    /// Names that break the name rule are shown as `?`, not trusted and not dropped: the count
    /// stays right even when another server misbehaves.
    public init(decoding payload: ByteBuffer) {
        guard payload.readableBytes > 0 else {
            self.init(names: [])
            return
        }
        let names = payload.readableBytesView.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { bytes -> String in
                guard let name = String(validating: bytes, as: UTF8.self),
                    SpeakerName.problem(with: name, maximumLength: Int(UInt8.max)) == nil
                else { return "?" }
                return name
            }
        self.init(names: names)
    }
}
