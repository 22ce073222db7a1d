import Crypto
import CryptoExtras
import Foundation

/// An identity's private keys.
enum PrivateKeys: Sendable {
    case suite1(
        signing: _RSA.Signing.PrivateKey,
        encryption: RSAOAEPKey,
        encryptionDER: [UInt8],
        exchange: Curve25519.KeyAgreement.PrivateKey
    )
    case suite3(
        signing: Curve25519.Signing.PrivateKey,
        encryption: Curve25519.KeyAgreement.PrivateKey,
        exchange: Curve25519.KeyAgreement.PrivateKey
    )

    static func generate(_ suite: CipherSuite) throws(GolixError) -> PrivateKeys {
        do {
            switch suite {
            case .suite1:
                let signing = try _RSA.Signing.PrivateKey(keySize: .bits4096)
                // The encryption key is an RSA key like any other; swift-crypto makes it, libcrypto uses it.
                let encryption = try _RSA.Signing.PrivateKey(keySize: .bits4096)
                let der = [UInt8](encryption.pkcs8DERRepresentation)
                return .suite1(
                    signing: signing,
                    encryption: try RSAOAEPKey(privateKeyDER: der),
                    encryptionDER: der,
                    exchange: Curve25519.KeyAgreement.PrivateKey()
                )
            case .suite3:
                return .suite3(
                    signing: Curve25519.Signing.PrivateKey(),
                    encryption: Curve25519.KeyAgreement.PrivateKey(),
                    exchange: Curve25519.KeyAgreement.PrivateKey()
                )
            }
        } catch let error as GolixError {
            throw error
        } catch {
            throw .cryptoFailure("key generation: \(error)")
        }
    }

    var suite: CipherSuite {
        switch self {
        case .suite1: return .suite1
        case .suite3: return .suite3
        }
    }

    var exchange: Curve25519.KeyAgreement.PrivateKey {
        switch self {
        case .suite1(_, _, _, let exchange), .suite3(_, _, let exchange): return exchange
        }
    }

    /// The GIDC key fields for these keys.
    func publicFields() throws(GolixError) -> (signing: [UInt8], encryption: [UInt8], exchange: [UInt8]) {
        switch self {
        case .suite1(let signing, _, let encryptionDER, let exchange):
            do {
                let encryption = try _RSA.Signing.PrivateKey(derRepresentation: encryptionDER)
                return (
                    try Self.modulus(of: signing.publicKey),
                    try Self.modulus(of: encryption.publicKey),
                    [UInt8](exchange.publicKey.rawRepresentation)
                )
            } catch let error as GolixError {
                throw error
            } catch {
                throw .invalidKey("RSA key: \(error)")
            }
        case .suite3(let signing, let encryption, let exchange):
            return (
                [UInt8](signing.publicKey.rawRepresentation),
                [UInt8](encryption.publicKey.rawRepresentation),
                [UInt8](exchange.publicKey.rawRepresentation)
            )
        }
    }

    /// The modulus as the GIDC stores it: exactly 512 big-endian bytes.
    static func modulus(of key: _RSA.Signing.PublicKey) throws -> [UInt8] {
        let modulus = try key.getKeyPrimitives().modulus.drop { $0 == 0 }
        guard modulus.count <= 512 else { throw GolixError.invalidKey("RSA modulus longer than 4096 bits") }
        return [UInt8](repeating: 0, count: 512 - modulus.count) + modulus
    }

    func sign(_ fileHash: SHA512Digest) throws(GolixError) -> [UInt8] {
        do {
            switch self {
            case .suite1(let signing, _, _, _):
                return [UInt8](try signing.signature(for: fileHash, padding: .PSS).rawRepresentation)
            case .suite3(let signing, _, _):
                return [UInt8](try signing.signature(for: Array(fileHash)))
            }
        } catch {
            throw .cryptoFailure("signing: \(error)")
        }
    }
}
