import Testing
@testable import Golix

/// Every object- and recipient-level negative vector is rejected, each with the error that names its
/// defect. (Sequence-level vectors are rules of a persistence provider: PersistenceTests covers them.)
@Suite struct NegativeVectorTests {
    /// The failure each vector must produce; names follow the vector's one defect.
    enum Expected: Equatable {
        case truncated, trailingBytes, badMagic, version, cipherSuite, addressAlgorithm, length, hash, frame
        case signature, mac, decryption, requestType, unknownIdentity, malformed
    }

    static let expected: [String: Expected] = [
        "gidc_hash_mismatch": .hash, "gidc_truncated": .truncated, "gidc_trailing_byte": .trailingBytes,
        "gidc_wrong_version": .version, "gidc_cipher_0": .cipherSuite,
        "geoc_payload_bitflip": .hash, "geoc_payload_bitflip_rehashed": .signature,
        "geoc_signature_bitflip": .signature, "geoc_signed_by_wrong_key": .signature,
        "geoc_signed_with_encryption_key": .signature, "geoc_signature_hash_hashed_again": .signature,
        "geoc_signature_pss_salt_32": .signature, "geoc_signature_pkcs1v15": .signature,
        "geoc_truncated": .truncated, "geoc_trailing_byte": .trailingBytes, "geoc_wrong_magic": .badMagic,
        "geoc_wrong_version": .version, "geoc_cipher_0": .cipherSuite, "geoc_cipher_2": .cipherSuite,
        // Suite 3 is ours: its 64-byte signature leaves the RSA signature's remaining 448 bytes over.
        "geoc_cipher_3": .trailingBytes,
        "geoc_address_algo_0": .addressAlgorithm,
        // One byte too many swallows the address algorithm byte; any structural error is right.
        "geoc_payload_length_too_big": .malformed,
        "geoc_unknown_author": .unknownIdentity,
        "gobs_target_modified": .hash, "gobs_target_modified_rehashed": .signature, "gobs_truncated": .truncated,
        "gobs_signed_by_wrong_key": .signature,
        "gobd_frame0_bad_dynamic_hash": .frame, "gobd_update_without_history": .frame,
        "gobd_counter_nonzero_without_history": .frame, "gobd_counter_zero_with_history": .frame,
        "gobd_empty_target_vector": .frame, "gobd_target_vector_length_not_multiple_of_65": .length,
        "gobd_counter_modified": .hash, "gobd_signature_bitflip": .signature,
        "gdxx_target_modified": .hash, "gdxx_signed_by_wrong_key": .signature, "gdxx_trailing_byte": .trailingBytes,
        "garq_payload_bitflip": .hash, "garq_truncated": .truncated, "garq_wrong_version": .version,
        "garq_mac_bitflip": .mac, "garq_mac_zero": .mac, "garq_mac_over_whole_file": .mac,
        "garq_mac_hkdf_salt_file_hash": .mac, "garq_mac_raw_ecdh_key": .mac, "garq_forged_author": .mac,
        "garq_ciphertext_tampered_rehashed": .decryption, "garq_encrypted_to_wrong_key": .decryption,
        "garq_unknown_request_type": .requestType,
    ]

    static func classify(_ error: GolixError) -> Expected {
        switch error {
        case .truncated: return .truncated
        case .trailingBytes: return .trailingBytes
        case .badMagic: return .badMagic
        case .unsupportedVersion: return .version
        case .unsupportedCipherSuite: return .cipherSuite
        case .unsupportedAddressAlgorithm: return .addressAlgorithm
        case .invalidLength: return .length
        case .hashMismatch: return .hash
        case .inconsistentFrame: return .frame
        case .invalidSignature: return .signature
        case .invalidMAC: return .mac
        case .decryptionFailed: return .decryption
        case .unsupportedRequestType: return .requestType
        case .unknownIdentity: return .unknownIdentity
        default: return .malformed
        }
    }

    static let vectors: [Vectors.Negative] = {
        (try? Vectors.load("negative", as: Vectors.File<Vectors.Negative>.self).vectors) ?? []
    }()

    /// Parse, verify, and (for recipient-level vectors) open as the recipient from alice.
    static func check(_ vector: Vectors.Negative) throws(GolixError) {
        let object = try GolixObject(parsing: bytes(vector.hex))
        try Vectors.verifier.verify(object)
        if vector.level == "recipient", case .request(let request) = object,
            let recipient = Vectors.people[vector.recipientKeys ?? ""]
        {
            _ = try recipient.open(request, from: Vectors.alice.identity)
        }
    }

    @Test func everyVectorHasAnExpectation() {
        #expect(Self.vectors.count == 56)
        let single = Self.vectors.filter { $0.level != "sequence" }
        #expect(Set(single.map(\.name)) == Set(Self.expected.keys))
    }

    @Test(arguments: vectors.filter { $0.level != "sequence" }.map(\.name))
    func rejected(_ name: String) throws {
        let vector = try #require(Self.vectors.first { $0.name == name })
        let want = try #require(Self.expected[name])
        do {
            try Self.check(vector)
            Issue.record("\(name) was accepted: \(vector.reason)")
        } catch {
            if want == .malformed {
                #expect(error.kind == .malformed, "\(name): \(error)")
            } else {
                #expect(Self.classify(error) == want, "\(name): got \(error)")
            }
        }
    }

    /// The ten the reference library accepts are exactly the ones our strictness adds.
    @Test func referenceLeniencyIsCovered() {
        let lenient = Self.vectors.filter { $0.pyGolixRejects == false }.map(\.name)
        #expect(lenient.count == 10)
        for name in lenient {
            #expect(throws: GolixError.self, "\(name)") {
                try Self.check(Self.vectors.first { $0.name == name }!)
            }
        }
    }

    /// Each object of a sequence vector is valid on its own; only ordering rules reject them.
    @Test func sequenceMembersAreIndividuallyValid() throws {
        let sequences = Self.vectors.filter { $0.level == "sequence" }
        #expect(sequences.count == 6)
        for vector in sequences {
            for hex in vector.sequenceHex ?? [] {
                try Vectors.verifier.verify(GolixObject(parsing: bytes(hex)))
            }
        }
    }
}
