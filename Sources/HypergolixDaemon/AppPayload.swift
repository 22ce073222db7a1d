import HypergolixWire

/// The plaintext of an application object's container: `"hgxd" | version 0 | api_id (65) | state`
/// (HYPERGOLIX-0.1-WIRE §4.1). The api_id travels encrypted, so only readers learn which app it is for.
struct AppPayload: Equatable, Sendable {
    static let magic: [UInt8] = Array("hgxd".utf8)
    static let version: UInt8 = 0
    static let headerLength = 70

    var apiID: ApiID
    var state: [UInt8]

    init(apiID: ApiID, state: [UInt8]) {
        self.apiID = apiID
        self.state = state
    }

    /// Nil unless the bytes start with the header: how a reader tells a right secret from a wrong one, as
    /// CTR decryption with a wrong key yields garbage rather than an error.
    init?(parsing plaintext: [UInt8]) {
        guard plaintext.count >= Self.headerLength, Array(plaintext.prefix(4)) == Self.magic,
            plaintext[4] == Self.version, let apiID = ApiID(bytes: plaintext[5..<70])
        else { return nil }
        self.apiID = apiID
        state = Array(plaintext[70...])
    }

    func serialized() -> [UInt8] {
        Self.magic + [Self.version] + apiID.bytes + state
    }
}
