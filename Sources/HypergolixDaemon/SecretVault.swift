import Crypto
import Foundation
import Golix

/// Seals object secrets at rest with a key only the account holder can derive (from the root secret), so
/// the local database reveals nothing without the password — as the original, which kept secrets only in
/// encrypted account objects.
struct SecretVault: Sendable {
    private let key: SymmetricKey

    init(rootSecret: Secret) {
        key = HKDF<SHA512>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: rootSecret.seed + rootSecret.key),
            salt: Array("hypergolix local vault".utf8),
            info: [],
            outputByteCount: 32
        )
    }

    /// AES-256-GCM with the container ghid as associated data, so a sealed secret cannot be moved to
    /// another row.
    func seal(_ secret: Secret, for container: Ghid) throws -> Data {
        guard let combined = try AES.GCM.seal(secret.serialized(), using: key, authenticating: container.bytes).combined else {
            throw DaemonError.internalFailure("cannot seal a secret")
        }
        return combined
    }

    func open(_ sealed: Data, for container: Ghid) throws -> Secret {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return try Secret(parsing: [UInt8](try AES.GCM.open(box, using: key, authenticating: container.bytes)))
    }
}
