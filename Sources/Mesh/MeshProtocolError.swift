/// Why a link was dropped: what the peer sent was not the mesh protocol.
///
/// None of these ever reach a caller as a thrown error; they end a link and are logged, and tests
/// match them.
public enum MeshProtocolError: Error, Hashable, Sendable {
    case emptyFrame
    case frameTooLarge(size: Int, limit: Int)
    case unknownFrameKind(UInt8)
    case truncated(String)
    case badMagic
    case unsupportedVersion(UInt8)
    case zeroNodeID
    case invalidType
    case unknownPurpose(UInt8)
    case trailingBytes(String)
    case unknownReplyStatus(UInt8)
    /// The first frame on a link was not `I-AM`.
    case missingIAm
    /// A second `I-AM` on a link that already presented one.
    case repeatedIAm
    /// The link was idle past the handshake timeout or closed before `I-AM`.
    case noIAm
}

extension MeshProtocolError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .emptyFrame: return "empty frame"
        case .frameTooLarge(let size, let limit): return "frame of \(size) bytes exceeds the limit of \(limit)"
        case .unknownFrameKind(let kind): return "unknown frame kind \(kind)"
        case .truncated(let what): return "truncated \(what)"
        case .badMagic: return "I-AM without the MESH magic"
        case .unsupportedVersion(let version): return "unsupported protocol version \(version)"
        case .zeroNodeID: return "all-zero node id"
        case .invalidType: return "message type is empty or not UTF-8"
        case .unknownPurpose(let purpose): return "unknown flood purpose \(purpose)"
        case .trailingBytes(let what): return "trailing bytes after \(what)"
        case .unknownReplyStatus(let status): return "unknown reply status \(status)"
        case .missingIAm: return "first frame was not I-AM"
        case .repeatedIAm: return "second I-AM on one link"
        case .noIAm: return "no I-AM before the handshake timeout"
        }
    }
}
