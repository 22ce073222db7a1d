import CryptoExtras
import Foundation
import Golix

/// The account's root secret: scrypt of the password salted with the identity's fingerprint
/// (HYPERGOLIX-0.1-WIRE §6.1), or a stored `root_secret` for unattended devices.
enum RootSecret {
    /// scrypt(password, salt = fingerprint (65 bytes), N = 2^15, r = 8, p = 1, 48 bytes) → key ‖ seed.
    /// The password is used as typed (UTF-8, no normalisation), as the original does.
    static func derive(password: String, fingerprint: Ghid) throws -> Secret {
        do {
            let output = try KDF.Scrypt.deriveKey(
                from: Array(password.utf8),
                salt: fingerprint.bytes,
                outputByteCount: 48,
                rounds: 1 << 15,
                blockSize: 8,
                parallelism: 1
            ).withUnsafeBytes { Array($0) }
            return try Secret(cipherSuite: .suite1, key: Array(output[0..<32]), seed: Array(output[32..<48]))
        } catch {
            throw DaemonError.account("cannot derive the root secret: \(error)")
        }
    }
}
