import NIOCore

/// A line said by someone: what travels through the mesh under ``Speech/messageType``.
///
/// Wire form: `nameLength:u8 name text`, both UTF-8. The receiving server checks it again:
/// another server's bytes are input from the network like any other.
public struct Speech: Hashable, Sendable {
    public static let messageType = "talker.speech"

    public let speaker: String
    public let text: String

    public init(speaker: String, text: String) {
        self.speaker = speaker
        self.text = text
    }

    public var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        let name = speaker.utf8.prefix(Int(UInt8.max))
        buffer.writeInteger(UInt8(name.count))
        buffer.writeBytes(name)
        buffer.writeString(text)
        return buffer
    }

    /// `nil` unless the bytes are a well-formed speech with a valid name and printable text.
    public init?(decoding payload: ByteBuffer) {
        var payload = payload
        guard let length = payload.readInteger(as: UInt8.self),
            let nameBytes = payload.readSlice(length: Int(length)),
            let speaker = String(validating: nameBytes.readableBytesView, as: UTF8.self),
            SpeakerName.problem(with: speaker, maximumLength: Int(UInt8.max)) == nil,
            let text = String(validating: payload.readableBytesView, as: UTF8.self),
            !ControlCharacters.occur(in: text)
        else { return nil }
        self.init(speaker: speaker, text: text)
    }

    /// The line clients see.
    public var line: String {
        "\(speaker): \(text)"
    }
}
