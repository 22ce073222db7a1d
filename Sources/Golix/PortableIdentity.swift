import Crypto
import CryptoExtras
import Foundation

/// The portable private-identity JSON of the conformance toolkit (`identities.json`,
/// `export_identity.py`), extended to suite 3. It is how private identities are exported, imported and
/// handed to the reference verifier, so its field names are the toolkit's.
///
/// Suite 1 RSA keys import from `pkcs8_der_hex` or `pkcs1_der_hex`; suite 3 keys are raw 32-byte values in
/// `private_hex`. Any public value present (`ghid_hex`, `public_hex`, `gidc_hex`) is cross-checked.
public struct PortableIdentity: Codable, Sendable, Hashable {
    public struct Key: Codable, Sendable, Hashable {
        public var type: String?
        public var pkcs8DERHex: String?
        public var pkcs1DERHex: String?
        public var publicModulusHex: String?
        public var privateHex: String?
        public var publicHex: String?

        enum CodingKeys: String, CodingKey {
            case type
            case pkcs8DERHex = "pkcs8_der_hex"
            case pkcs1DERHex = "pkcs1_der_hex"
            case publicModulusHex = "public_modulus_hex"
            case privateHex = "private_hex"
            case publicHex = "public_hex"
        }
    }

    public var name: String?
    public var cipherSuite: UInt8
    public var ghidHex: String?
    public var ghidBase64: String?
    public var gidcHex: String?
    public var signatureKey: Key
    public var encryptionKey: Key
    public var exchangeKey: Key

    enum CodingKeys: String, CodingKey {
        case name
        case cipherSuite = "cipher_suite"
        case ghidHex = "ghid_hex"
        case ghidBase64 = "ghid_str"
        case gidcHex = "gidc_hex"
        case signatureKey = "signature_key"
        case encryptionKey = "encryption_key"
        case exchangeKey = "exchange_key"
    }
}

extension PrivateIdentity {
    /// Imports a portable identity, checking every public value it states against the keys.
    public init(portable: PortableIdentity) throws(GolixError) {
        let suite = try CipherSuite(byte: portable.cipherSuite)
        let exchange = try Self.x25519(portable.exchangeKey, "exchange")
        let keys: PrivateKeys
        do {
            switch suite {
            case .suite1:
                let signingDER = try Self.rsaDER(portable.signatureKey, "signature")
                let encryptionDER = try Self.rsaDER(portable.encryptionKey, "encryption")
                keys = .suite1(
                    signing: try _RSA.Signing.PrivateKey(derRepresentation: signingDER),
                    encryption: try RSAOAEPKey(privateKeyDER: encryptionDER),
                    encryptionDER: encryptionDER,
                    exchange: exchange
                )
            case .suite3:
                let signingRaw = try Self.raw(portable.signatureKey, "signature")
                keys = .suite3(
                    signing: try Curve25519.Signing.PrivateKey(rawRepresentation: signingRaw),
                    encryption: try Self.x25519(portable.encryptionKey, "encryption"),
                    exchange: exchange
                )
            }
        } catch let error as GolixError {
            throw error
        } catch {
            throw .invalidKey("\(error)")
        }
        try self.init(keys: keys)
        try check(portable.ghidHex.map { [UInt8](hexString: $0) } ?? nil, equals: ghid.bytes, "ghid_hex")
        try check(portable.gidcHex.map { [UInt8](hexString: $0) } ?? nil, equals: identity.serialized(), "gidc_hex")
        try check(portable.exchangeKey.publicHex.map { [UInt8](hexString: $0) } ?? nil, equals: identity.exchangeKey, "exchange public_hex")
    }

    /// Exports the private keys in the portable form. Handle the result as the secret it is.
    public func portable(name: String? = nil) -> PortableIdentity {
        var signature = PortableIdentity.Key()
        var encryption = PortableIdentity.Key()
        var exchangeKey = PortableIdentity.Key(type: "x25519")
        switch keys {
        case .suite1(let signing, _, let encryptionDER, let exchange):
            signature.type = "rsa-4096"
            signature.pkcs8DERHex = signing.pkcs8DERRepresentation.hexString
            signature.publicModulusHex = identity.signingKey.hexString
            encryption.type = "rsa-4096"
            encryption.pkcs8DERHex = encryptionDER.hexString
            encryption.publicModulusHex = identity.encryptionKey.hexString
            exchangeKey.privateHex = Self.clamped(exchange.rawRepresentation).hexString
        case .suite3(let signing, let encryptionPrivate, let exchange):
            signature.type = "ed25519"
            signature.privateHex = signing.rawRepresentation.hexString
            signature.publicHex = identity.signingKey.hexString
            encryption.type = "x25519"
            encryption.privateHex = Self.clamped(encryptionPrivate.rawRepresentation).hexString
            encryption.publicHex = identity.encryptionKey.hexString
            exchangeKey.privateHex = Self.clamped(exchange.rawRepresentation).hexString
        }
        exchangeKey.publicHex = identity.exchangeKey.hexString
        return PortableIdentity(
            name: name,
            cipherSuite: cipherSuite.rawValue,
            ghidHex: ghid.bytes.hexString,
            ghidBase64: ghid.base64,
            gidcHex: identity.serialized().hexString,
            signatureKey: signature,
            encryptionKey: encryption,
            exchangeKey: exchangeKey
        )
    }

    /// RFC 7748 clamping. It leaves the public key unchanged (every implementation clamps on use), but the
    /// original stores clamped scalars, and BoringSSL deliberately generates unclamped ones.
    private static func clamped(_ raw: Data) -> [UInt8] {
        var bytes = [UInt8](raw)
        guard bytes.count == 32 else { return bytes }
        bytes[0] &= 248
        bytes[31] &= 127
        bytes[31] |= 64
        return bytes
    }

    private static func rsaDER(_ key: PortableIdentity.Key, _ name: String) throws(GolixError) -> [UInt8] {
        guard let hex = key.pkcs8DERHex ?? key.pkcs1DERHex, let der = [UInt8](hexString: hex) else {
            throw .invalidKey("\(name) key needs pkcs8_der_hex or pkcs1_der_hex")
        }
        return der
    }

    private static func raw(_ key: PortableIdentity.Key, _ name: String) throws(GolixError) -> [UInt8] {
        guard let hex = key.privateHex, let raw = [UInt8](hexString: hex), raw.count == 32 else {
            throw .invalidKey("\(name) key needs a 32-byte private_hex")
        }
        return raw
    }

    private static func x25519(_ key: PortableIdentity.Key, _ name: String) throws(GolixError) -> Curve25519.KeyAgreement.PrivateKey {
        do {
            return try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw(key, name))
        } catch let error as GolixError {
            throw error
        } catch {
            throw .invalidKey("\(name) key: \(error)")
        }
    }

    private func check(_ stated: [UInt8]?, equals actual: [UInt8], _ field: String) throws(GolixError) {
        if let stated, stated != actual {
            throw .invalidKey("\(field) does not match the keys")
        }
    }
}
