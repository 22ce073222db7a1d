/// A cursor over an object's bytes. Every read is bounds-checked and throws ``GolixError/truncated(offset:needed:)``
/// instead of trapping, because everything parsed here comes from the network.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    mutating func read(_ count: Int) throws(GolixError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else {
            throw .truncated(offset: offset, needed: count - max(remaining, 0))
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func readBytes(_ count: Int) throws(GolixError) -> [UInt8] {
        Array(try read(count))
    }

    mutating func readUInt8() throws(GolixError) -> UInt8 {
        try read(1).first ?? 0
    }

    mutating func readInteger<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(GolixError) -> T {
        let slice = try read(MemoryLayout<T>.size)
        return slice.reduce(T(0)) { ($0 << 8) | T($1) }
    }

    mutating func readGhid() throws(GolixError) -> Ghid {
        try Ghid(validating: read(Ghid.byteCount))
    }

    /// Golix objects are exact-length: anything after the last field is an error, not padding.
    func expectEnd() throws(GolixError) {
        if remaining != 0 { throw .trailingBytes(count: remaining) }
    }
}

extension Array where Element == UInt8 {
    mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        var bigEndian = value.bigEndian
        Swift.withUnsafeBytes(of: &bigEndian) { append(contentsOf: $0) }
    }
}
