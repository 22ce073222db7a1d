import Crypto

/// The hash Golix addresses are made of, for layers that need it without depending on swift-crypto.
public enum Digests {
    public static func sha512(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA512.hash(data: bytes))
    }
}
