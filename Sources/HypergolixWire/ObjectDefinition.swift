import Golix

/// The IPC protocol's object record ("objdef", HYPERGOLIX-0.1-WIRE §3.1), used by `>O` answers, `+O` and
/// `!O` in both directions:
///
/// `version (1) = 0 | address ghid (65, zeros = none) | author ghid (65) | private (1) | dynamic (1) |
/// legroom (1, 0 = unspecified) | api_id (65) | is_link (1) | state (rest)`.
public struct ObjectDefinition: Hashable, Sendable {
    public static let fixedLength = 200
    public static let version: UInt8 = 0

    public var address: Ghid?
    public var author: Ghid?
    public var isPrivate: Bool
    public var isDynamic: Bool
    /// How many previous containers a frame keeps in its history; nil (0 on the wire) = unspecified.
    public var legroom: UInt8?
    /// All-zero on the wire when unspecified; the original does not turn that back into "none".
    public var apiID: ApiID
    /// Links are not supported by the original either; a daemon refuses them.
    public var isLink: Bool
    public var state: [UInt8]

    public init(
        address: Ghid? = nil,
        author: Ghid? = nil,
        isPrivate: Bool = false,
        isDynamic: Bool = true,
        legroom: UInt8? = nil,
        apiID: ApiID = .unspecified,
        isLink: Bool = false,
        state: [UInt8] = []
    ) {
        self.address = address
        self.author = author
        self.isPrivate = isPrivate
        self.isDynamic = isDynamic
        self.legroom = legroom
        self.apiID = apiID
        self.isLink = isLink
        self.state = state
    }

    /// Parses a record; the version byte is ignored on read, as in the original.
    public init(parsing body: [UInt8]) throws(RemoteError) {
        guard body.count >= Self.fixedLength else {
            throw RemoteError(IPCErrorCode.exception, "an object definition needs \(Self.fixedLength) bytes, got \(body.count)")
        }
        address = Self.optionalGhid(body[1..<66])
        author = Self.optionalGhid(body[66..<131])
        isPrivate = body[131] != 0
        isDynamic = body[132] != 0
        legroom = body[133] == 0 ? nil : body[133]
        guard let apiID = ApiID(bytes: body[134..<199]) else {
            throw RemoteError(IPCErrorCode.exception, "an API id starts with a zero byte")
        }
        self.apiID = apiID
        isLink = body[199] != 0
        state = Array(body[200...])
    }

    public func serialized() -> [UInt8] {
        var out = [Self.version]
        out.reserveCapacity(Self.fixedLength + state.count)
        out += address?.bytes ?? Self.zeroGhid
        out += author?.bytes ?? Self.zeroGhid
        out += [isPrivate ? 1 : 0, isDynamic ? 1 : 0, legroom ?? 0]
        out += apiID.bytes
        out.append(isLink ? 1 : 0)
        out += state
        return out
    }

    static let zeroGhid = [UInt8](repeating: 0, count: Ghid.byteCount)

    static func optionalGhid(_ bytes: ArraySlice<UInt8>) -> Ghid? {
        bytes.allSatisfy { $0 == 0 } ? nil : Ghid(bytes: bytes)
    }
}
