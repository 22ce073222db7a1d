import Golix

/// A list of ghids on the wire: their 65-byte forms concatenated, with no count (an empty list is an
/// empty body).
public enum Ghidlist {
    public static func serialize(_ ghids: some Sequence<Ghid>) -> [UInt8] {
        ghids.reduce(into: [UInt8]()) { $0 += $1.bytes }
    }

    public static func parse(_ body: [UInt8]) throws(WireError) -> [Ghid] {
        guard body.count % Ghid.byteCount == 0 else {
            throw .unexpectedResponse("a ghid list of \(body.count) bytes")
        }
        return stride(from: 0, to: body.count, by: Ghid.byteCount).compactMap {
            Ghid(bytes: body[$0..<$0 + Ghid.byteCount])
        }
    }
}
