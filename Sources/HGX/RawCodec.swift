import HypergolixWire

/// States as plain bytes: Python's `hgx.Obj` / `hgx.Proxy` (API id `00…01`).
public enum RawCodec: HGXCodec {
    public static let defaultAPIID = ApiID.raw

    public static func encode(_ state: [UInt8]) -> [UInt8] { state }
    public static func decode(_ bytes: [UInt8]) -> [UInt8] { bytes }
}
