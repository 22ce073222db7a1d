import Crypto
import CryptoExtras
import Foundation

/// An identity's public keys, decoded and validated once so that verification does no parsing.
enum PublicKeys: Sendable {
    case suite1(
        signing: _RSA.Signing.PublicKey,
        encryption: RSAOAEPKey,
        exchange: Curve25519.KeyAgreement.PublicKey
    )
    case suite3(
        signing: Curve25519.Signing.PublicKey,
        encryption: Curve25519.KeyAgreement.PublicKey,
        exchange: Curve25519.KeyAgreement.PublicKey
    )

    static let rsaExponent: [UInt8] = [0x01, 0x00, 0x01]

    /// Decodes the three key fields of a GIDC. Suite 1 moduli must be odd 4096-bit numbers: a shorter key
    /// would verify, but is not what the suite promises.
    init(suite: CipherSuite, signing: [UInt8], encryption: [UInt8], exchange: [UInt8]) throws(GolixError) {
        do {
            switch suite {
            case .suite1:
                for (name, modulus) in [("signing", signing), ("encryption", encryption)] {
                    guard modulus.count == 512, modulus[0] & 0x80 != 0, modulus[511] & 1 == 1 else {
                        throw GolixError.invalidKey("\(name) key is not an odd 4096-bit RSA modulus")
                    }
                }
                let signingKey = try _RSA.Signing.PublicKey(n: signing, e: Self.rsaExponent)
                let spki = try _RSA.Encryption.PublicKey(n: encryption, e: Self.rsaExponent).derRepresentation
                self = .suite1(
                    signing: signingKey,
                    encryption: try RSAOAEPKey(publicKeyDER: [UInt8](spki)),
                    exchange: try Curve25519.KeyAgreement.PublicKey(rawRepresentation: exchange)
                )
            case .suite3:
                self = .suite3(
                    signing: try Curve25519.Signing.PublicKey(rawRepresentation: signing),
                    encryption: try Curve25519.KeyAgreement.PublicKey(rawRepresentation: encryption),
                    exchange: try Curve25519.KeyAgreement.PublicKey(rawRepresentation: exchange)
                )
            }
        } catch let error as GolixError {
            throw error
        } catch {
            throw .invalidKey("\(suite) public key: \(error)")
        }
    }

    var exchange: Curve25519.KeyAgreement.PublicKey {
        switch self {
        case .suite1(_, _, let exchange), .suite3(_, _, let exchange): return exchange
        }
    }

    /// Suite 1 signs the file hash as a pre-hashed SHA-512 digest with PSS (salt 64, MGF1-SHA512), which
    /// equals ordinary PSS-SHA512 over the hashed region. Suite 3 signs the 64 hash bytes with Ed25519.
    func isValidSignature(_ signature: [UInt8], for fileHash: SHA512Digest) -> Bool {
        switch self {
        case .suite1(let key, _, _):
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature),
                for: fileHash,
                padding: .PSS
            )
        case .suite3(let key, _, _):
            return key.isValidSignature(signature, for: Array(fileHash))
        }
    }
}
