import CLibcrypto

/// RSA-OAEP with SHA-512 and MGF1-SHA512 (empty label), through the system libcrypto: the one primitive of
/// cipher suite 1 that swift-crypto does not offer (it has OAEP with SHA-1 and SHA-256 only).
///
/// Keys are imported from DER once and kept; each operation makes its own `EVP_PKEY_CTX`, so one key can be
/// used from many tasks at once.
final class RSAOAEPKey: @unchecked Sendable {
    // Immutable after init; libcrypto's EVP_PKEY is safe for concurrent use with per-call contexts.
    private let key: OpaquePointer

    /// An SPKI ("PUBLIC KEY") DER public key.
    init(publicKeyDER der: [UInt8]) throws(GolixError) {
        let key: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var pointer = buffer.baseAddress
            return d2i_PUBKEY(nil, &pointer, buffer.count)
        }
        guard let key else { throw .invalidKey("libcrypto rejected the RSA public key") }
        self.key = key
    }

    /// A PKCS#1 or PKCS#8 DER private key.
    init(privateKeyDER der: [UInt8]) throws(GolixError) {
        let key: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var pointer = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &pointer, buffer.count)
        }
        guard let key else { throw .invalidKey("libcrypto rejected the RSA private key") }
        self.key = key
    }

    deinit {
        EVP_PKEY_free(key)
    }

    func encrypt(_ plaintext: [UInt8]) throws(GolixError) -> [UInt8] {
        try run(encrypting: true, plaintext)
    }

    func decrypt(_ ciphertext: [UInt8]) throws(GolixError) -> [UInt8] {
        try run(encrypting: false, ciphertext)
    }

    private func run(encrypting: Bool, _ input: [UInt8]) throws(GolixError) -> [UInt8] {
        guard let context = EVP_PKEY_CTX_new(key, nil) else { throw .cryptoFailure("EVP_PKEY_CTX_new") }
        defer { EVP_PKEY_CTX_free(context) }
        let initialised = encrypting ? EVP_PKEY_encrypt_init(context) : EVP_PKEY_decrypt_init(context)
        guard initialised == 1,
            EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING) == 1,
            EVP_PKEY_CTX_set_rsa_oaep_md(context, EVP_sha512()) == 1,
            EVP_PKEY_CTX_set_rsa_mgf1_md(context, EVP_sha512()) == 1
        else {
            ERR_clear_error()
            throw .cryptoFailure("cannot set up RSA-OAEP-SHA512")
        }
        let operation = encrypting ? EVP_PKEY_encrypt : EVP_PKEY_decrypt
        var length = 0
        guard operation(context, nil, &length, input, input.count) == 1 else {
            ERR_clear_error()
            throw encrypting ? .cryptoFailure("RSA-OAEP length query") : .decryptionFailed
        }
        var output = [UInt8](repeating: 0, count: length)
        let status = output.withUnsafeMutableBufferPointer { buffer in
            operation(context, buffer.baseAddress, &length, input, input.count)
        }
        guard status == 1 else {
            ERR_clear_error()
            throw encrypting ? .cryptoFailure("RSA-OAEP encryption") : .decryptionFailed
        }
        return Array(output.prefix(length))
    }
}
