import Golix

/// The bodies of the sharing messages (HYPERGOLIX-0.1-WIRE §3.2). The same code has two layouts: `@O`
/// from an app is `ghid ‖ recipient` (130 bytes), `@O` to an app is `ghid ‖ origin ‖ api_id` (195 bytes).
public enum ShareNotice {
    /// `@O` app → daemon: share `ghid` with `recipient`.
    public static func request(_ ghid: Ghid, with recipient: Ghid) -> [UInt8] {
        ghid.bytes + recipient.bytes
    }

    public static func parseRequest(_ body: [UInt8]) -> (ghid: Ghid, recipient: Ghid)? {
        guard body.count == 2 * Ghid.byteCount, let ghid = Ghid(bytes: body[0..<65]),
            let recipient = Ghid(bytes: body[65..<130])
        else { return nil }
        return (ghid, recipient)
    }

    /// `@O` daemon → app: `ghid` was shared by `origin` (the own fingerprint for another local app).
    public static func incoming(_ ghid: Ghid, from origin: Ghid, apiID: ApiID) -> [UInt8] {
        ghid.bytes + origin.bytes + apiID.bytes
    }

    public static func parseIncoming(_ body: [UInt8]) -> (ghid: Ghid, origin: Ghid, apiID: ApiID)? {
        guard body.count == 3 * Ghid.byteCount, let ghid = Ghid(bytes: body[0..<65]),
            let origin = Ghid(bytes: body[65..<130]), let apiID = ApiID(bytes: body[130..<195])
        else { return nil }
        return (ghid, origin, apiID)
    }

    /// `^S` / `^F` daemon → app: the share of `ghid` with `recipient` succeeded or failed.
    public static func result(_ ghid: Ghid, recipient: Ghid) -> [UInt8] {
        ghid.bytes + recipient.bytes
    }

    public static func parseResult(_ body: [UInt8]) -> (ghid: Ghid, recipient: Ghid)? {
        parseRequest(body)
    }
}
