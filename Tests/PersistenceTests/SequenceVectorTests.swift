import Foundation
import Golix
import Testing
@testable import Persistence

/// The CS1 sequence-level negative vectors: each is a stream of objects valid on their own, of which the
/// one at `reject_index` breaks a persistence rule.
@Suite struct SequenceVectorTests {
    static let vectors = ((try? Fixtures.load("negative", as: Fixtures.NegativeFile.self))?.vectors ?? [])
        .filter { $0.level == "sequence" }

    static let expected: [String: @Sendable (PersistenceError) -> Bool] = [
        "seq_gobd_counter_regression": { if case .illegalDynamicFrame = $0 { true } else { false } },
        "seq_gobd_binder_changed": { if case .inconsistentAuthor = $0 { true } else { false } },
        "seq_gobd_history_missing_previous_target": { if case .illegalDynamicFrame = $0 { true } else { false } },
        "seq_gdxx_debinder_not_binder": { if case .inconsistentAuthor = $0 { true } else { false } },
        "seq_gdxx_garq_not_recipient": { if case .inconsistentAuthor = $0 { true } else { false } },
        "seq_gdxx_targets_geoc": { if case .invalidTarget = $0 { true } else { false } },
    ]

    @Test func allSixAreHere() {
        #expect(Set(Self.vectors.map(\.name)) == Set(Self.expected.keys))
    }

    @Test(arguments: vectors.map(\.name), StorageKind.allCases)
    func rejectedAtTheRightIndex(_ name: String, _ kind: StorageKind) throws {
        let vector = try #require(Self.vectors.first { $0.name == name })
        let world = try World(kind, registering: [])
        for portable in Fixtures.identities.identities.values {
            try world.publish(.identity(PrivateIdentity(portable: portable).identity))
        }
        // The protocol's own prerequisite: a container is accepted only once something binds it.
        let bindings = try Fixtures.load("gobs", as: Fixtures.File.self).vectors
        for binding in bindings { try world.publish(bytes(binding.packedHex)) }

        let stream = (vector.sequenceHex ?? []).map(bytes)
        let reject = try #require(vector.rejectIndex)
        for (index, object) in stream.enumerated() {
            if index < reject {
                #expect(throws: Never.self, "\(name)[\(index)] must be accepted") { try world.publish(object) }
            } else if index == reject {
                do {
                    try world.publish(object)
                    Issue.record("\(name)[\(index)] was accepted")
                } catch {
                    #expect(Self.expected[name]?(error) == true, "\(name): \(error)")
                }
            }
        }
    }
}
