/// What a request says, once decrypted: `author ghid | type (2) | payload length u16 | payload`.
public struct RequestPlaintext: Sendable, Hashable {
    /// The claimed author; trustworthy only after the request's MAC has been checked against this identity.
    public let author: Ghid
    public let payload: RequestPayload

    public init(author: Ghid, payload: RequestPayload) {
        self.author = author
        self.payload = payload
    }

    public init(parsing bytes: [UInt8]) throws(GolixError) {
        var reader = ByteReader(bytes)
        author = try reader.readGhid()
        let type = try reader.readBytes(2)
        let length = Int(try reader.readInteger(UInt16.self))
        guard length == reader.remaining else {
            throw .invalidLength("request payload length \(length) with \(reader.remaining) bytes left")
        }
        switch type {
        case RequestPayload.handshakeType:
            let target = try reader.readGhid()
            let secretLength = Int(try reader.readUInt8())
            guard secretLength == Secret.serializedLength else {
                throw .invalidLength("handshake secret of \(secretLength) bytes")
            }
            payload = .handshake(target: target, secret: try Secret(parsing: reader.readBytes(secretLength)))
        case RequestPayload.ackType, RequestPayload.nakType:
            let target = try reader.readGhid()
            let status = try reader.readInteger(UInt32.self)
            payload = type == RequestPayload.ackType
                ? .ack(target: target, status: status) : .nak(target: target, status: status)
        default:
            throw .unsupportedRequestType(type)
        }
        try reader.expectEnd()
    }

    public func serialized() -> [UInt8] {
        var body = [UInt8]()
        let type: [UInt8]
        switch payload {
        case .handshake(let target, let secret):
            type = RequestPayload.handshakeType
            target.append(to: &body)
            body.append(UInt8(Secret.serializedLength))
            body += secret.serialized()
        case .ack(let target, let status), .nak(let target, let status):
            type = payload.isAck ? RequestPayload.ackType : RequestPayload.nakType
            target.append(to: &body)
            body.appendInteger(status)
        }
        var out = author.bytes
        out += type
        out.appendInteger(UInt16(body.count))
        out += body
        return out
    }
}

/// The three requests Hypergolix exchanges.
public enum RequestPayload: Sendable, Hashable {
    /// "Here is the secret of `target`": sharing an object.
    case handshake(target: Ghid, secret: Secret)
    /// The handshake request `target` was received and processed.
    case ack(target: Ghid, status: UInt32)
    /// The handshake request `target` could not be processed.
    case nak(target: Ghid, status: UInt32)

    static let handshakeType: [UInt8] = Array("HS".utf8)
    static let ackType: [UInt8] = Array("AK".utf8)
    static let nakType: [UInt8] = Array("NK".utf8)

    /// The object (for a handshake) or request (for an ack/nak) this is about.
    public var target: Ghid {
        switch self {
        case .handshake(let target, _), .ack(let target, _), .nak(let target, _): return target
        }
    }

    var isAck: Bool {
        if case .ack = self { return true }
        return false
    }
}
