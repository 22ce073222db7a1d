import NIOCore

/// One unit of the link protocol, and its wire format (docs/mesh.md has the same in a table).
///
/// ```
/// frame  = length:u32 body             length = bytes in body, 1 ... maximumFrameSize
/// body   = 0x01 "MESH" version:u8 node:id                                        I-AM
///        | 0x02 serial:u64 typeLength:u8 type payload                            DIRECT
///        | 0x03 origin:id serial:u64 hops:u8 purpose:u8 target:id typeLength:u8 type content   FLOOD
/// id     = 16 bytes; in `target` all zero means "every node"
/// ```
/// All integers are big-endian. Flood purposes: 0 message (content = payload), 1 peer set
/// (type empty; content = count:u16 then count ids), 2 query (content = payload), 3 reply
/// (content = querySerial:u64 status:u8 payload; status 0 answered, 1 declined).
enum MeshFrame: Sendable, Equatable {
    case iAm(NodeID)
    case direct(serial: UInt64, type: String, payload: ByteBuffer)
    case flood(Flood)

    static let protocolVersion: UInt8 = 1
    static let magic: UInt32 = 0x4D45_5348  // "MESH"

    fileprivate enum Kind: UInt8 {
        case iAm = 1
        case direct = 2
        case flood = 3
    }
}

/// A message on its way through the flood.
struct Flood: Sendable, Equatable {
    var id: MessageID
    var hops: UInt8
    /// `nil` when every node is to deliver the message.
    var target: NodeID?
    var content: Content

    enum Content: Sendable, Equatable {
        case message(type: String, payload: ByteBuffer)
        case peerSet([NodeID])
        case query(type: String, payload: ByteBuffer)
        /// `answer` is `nil` when the node has no responder for the query's type.
        case reply(type: String, querySerial: UInt64, answer: ByteBuffer?)
    }

    fileprivate enum Purpose: UInt8 {
        case message = 0
        case peerSet = 1
        case query = 2
        case reply = 3
    }
}

// MARK: - Encoding

extension MeshFrame {
    /// Appends the whole frame, length prefix included, to `buffer`.
    func encode(into buffer: inout ByteBuffer) {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        switch self {
        case .iAm(let node):
            buffer.writeInteger(Kind.iAm.rawValue)
            buffer.writeInteger(Self.magic)
            buffer.writeInteger(Self.protocolVersion)
            buffer.writeNodeID(node)
        case .direct(let serial, let type, let payload):
            buffer.writeInteger(Kind.direct.rawValue)
            buffer.writeInteger(serial)
            buffer.writeMessageType(type)
            buffer.writeImmutableBuffer(payload)
        case .flood(let flood):
            buffer.writeInteger(Kind.flood.rawValue)
            flood.encode(into: &buffer)
        }
        let bodyLength = buffer.writerIndex - lengthIndex - 4
        buffer.setInteger(UInt32(truncatingIfNeeded: bodyLength), at: lengthIndex)
    }

    /// The frame as a buffer of its own, or an error if it is larger than `limit`.
    func encoded(limit: Int, allocator: ByteBufferAllocator) throws(MeshError) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64 + self.payloadSize)
        self.encode(into: &buffer)
        let bodyLength = buffer.readableBytes - 4
        guard bodyLength <= limit else {
            throw .frameTooLarge(size: bodyLength, limit: limit)
        }
        return buffer
    }

    private var payloadSize: Int {
        switch self {
        case .iAm: return 0
        case .direct(_, _, let payload): return payload.readableBytes
        case .flood(let flood): return flood.content.payloadSize
        }
    }
}

extension Flood {
    fileprivate func encode(into buffer: inout ByteBuffer) {
        buffer.writeNodeID(id.origin)
        buffer.writeInteger(id.serial)
        buffer.writeInteger(hops)
        switch content {
        case .message(let type, let payload):
            writeHeader(purpose: .message, type: type, into: &buffer)
            buffer.writeImmutableBuffer(payload)
        case .peerSet(let peers):
            writeHeader(purpose: .peerSet, type: "", into: &buffer)
            let listed = peers.prefix(Int(UInt16.max))
            buffer.writeInteger(UInt16(listed.count))
            for peer in listed {
                buffer.writeNodeID(peer)
            }
        case .query(let type, let payload):
            writeHeader(purpose: .query, type: type, into: &buffer)
            buffer.writeImmutableBuffer(payload)
        case .reply(let type, let querySerial, let answer):
            writeHeader(purpose: .reply, type: type, into: &buffer)
            buffer.writeInteger(querySerial)
            if let answer {
                buffer.writeInteger(UInt8(0))
                buffer.writeImmutableBuffer(answer)
            } else {
                buffer.writeInteger(UInt8(1))
            }
        }
    }

    private func writeHeader(purpose: Purpose, type: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(purpose.rawValue)
        if let target {
            buffer.writeNodeID(target)
        } else {
            buffer.writeInteger(UInt64(0))
            buffer.writeInteger(UInt64(0))
        }
        buffer.writeMessageType(type)
    }
}

extension Flood.Content {
    fileprivate var payloadSize: Int {
        switch self {
        case .message(_, let payload), .query(_, let payload): return payload.readableBytes
        case .peerSet(let peers): return 2 + 16 * peers.count
        case .reply(_, _, let answer): return 9 + (answer?.readableBytes ?? 0)
        }
    }
}

// MARK: - Decoding

extension MeshFrame {
    /// Parses one frame body (the bytes after the length prefix), consuming all of it.
    init(decoding body: inout ByteBuffer) throws(MeshProtocolError) {
        guard let kindByte = body.readInteger(as: UInt8.self) else {
            throw .emptyFrame
        }
        switch Kind(rawValue: kindByte) {
        case .iAm:
            guard let magic = body.readInteger(as: UInt32.self),
                let version = body.readInteger(as: UInt8.self)
            else { throw .truncated("I-AM") }
            guard magic == Self.magic else { throw .badMagic }
            guard version == Self.protocolVersion else { throw .unsupportedVersion(version) }
            let node = try body.readNodeIDOrThrow(what: "I-AM")
            guard body.readableBytes == 0 else { throw .trailingBytes("I-AM") }
            self = .iAm(node)
        case .direct:
            guard let serial = body.readInteger(as: UInt64.self) else { throw .truncated("DIRECT") }
            let type = try body.readMessageType(allowEmpty: false)
            self = .direct(serial: serial, type: type, payload: body)
        case .flood:
            self = .flood(try Flood(decoding: &body))
        case nil:
            throw .unknownFrameKind(kindByte)
        }
    }
}

extension Flood {
    fileprivate init(decoding body: inout ByteBuffer) throws(MeshProtocolError) {
        let origin = try body.readNodeIDOrThrow(what: "FLOOD")
        guard let serial = body.readInteger(as: UInt64.self),
            let hops = body.readInteger(as: UInt8.self),
            let purposeByte = body.readInteger(as: UInt8.self),
            let targetHigh = body.readInteger(as: UInt64.self),
            let targetLow = body.readInteger(as: UInt64.self)
        else { throw .truncated("FLOOD") }
        guard let purpose = Purpose(rawValue: purposeByte) else {
            throw .unknownPurpose(purposeByte)
        }
        self.id = MessageID(origin: origin, serial: serial)
        self.hops = hops
        self.target = NodeID(high: targetHigh, low: targetLow)
        let type = try body.readMessageType(allowEmpty: purpose == .peerSet)
        switch purpose {
        case .message:
            self.content = .message(type: type, payload: body)
        case .query:
            self.content = .query(type: type, payload: body)
        case .peerSet:
            guard let count = body.readInteger(as: UInt16.self) else { throw .truncated("peer set") }
            var peers: [NodeID] = []
            peers.reserveCapacity(Int(count))
            for _ in 0..<count {
                peers.append(try body.readNodeIDOrThrow(what: "peer set"))
            }
            guard body.readableBytes == 0 else { throw .trailingBytes("peer set") }
            self.content = .peerSet(peers)
        case .reply:
            guard let querySerial = body.readInteger(as: UInt64.self),
                let status = body.readInteger(as: UInt8.self)
            else { throw .truncated("reply") }
            switch status {
            case 0: self.content = .reply(type: type, querySerial: querySerial, answer: body)
            case 1:
                guard body.readableBytes == 0 else { throw .trailingBytes("declined reply") }
                self.content = .reply(type: type, querySerial: querySerial, answer: nil)
            default: throw .unknownReplyStatus(status)
            }
        }
        body.moveReaderIndex(to: body.writerIndex)
    }
}

// MARK: - Field helpers

extension ByteBuffer {
    fileprivate mutating func writeNodeID(_ node: NodeID) {
        writeInteger(node.high)
        writeInteger(node.low)
    }

    /// Types are validated by `MeshNode` before they get here; the clamp only keeps the length
    /// byte honest if that ever changes.
    fileprivate mutating func writeMessageType(_ type: String) {
        let bytes = type.utf8.prefix(Int(UInt8.max))
        writeInteger(UInt8(bytes.count))
        writeBytes(bytes)
    }

    fileprivate mutating func readNodeIDOrThrow(what: String) throws(MeshProtocolError) -> NodeID {
        guard let high = readInteger(as: UInt64.self), let low = readInteger(as: UInt64.self) else {
            throw .truncated(what)
        }
        guard let node = NodeID(high: high, low: low) else { throw .zeroNodeID }
        return node
    }

    fileprivate mutating func readMessageType(allowEmpty: Bool) throws(MeshProtocolError) -> String {
        guard let length = readInteger(as: UInt8.self) else { throw .truncated("message type") }
        guard length > 0 || allowEmpty else { throw .invalidType }
        guard let bytes = readSlice(length: Int(length)) else { throw .truncated("message type") }
        guard let type = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw .invalidType
        }
        return type
    }
}
