import Testing
@testable import Golix

/// `makeFrame` signs the container and its frame together (in parallel for suite 1).
@Suite struct MakeFrameTests {
    @Test(arguments: [CipherSuite.suite3, .suite1])
    func framesAndContainersVerifyAndBelongTogether(_ suite: CipherSuite) throws {
        let me = suite == .suite1 ? Vectors.alice : try PrivateIdentity.generate(cipherSuite: .suite3)
        let verifier = Verifier(identities: [me.identity])
        let secret = Secret.random(cipherSuite: suite)
        let (container, first) = try me.makeFrame([1, 2, 3], secret: secret, history: [], counter: 0, dynamic: nil)
        #expect(first.target == container.ghid && first.counter == 0)
        for object in [GolixObject.container(container), .dynamicBinding(first)] {
            try verifier.verify(GolixObject(parsing: object.serialized()))
        }
        #expect(try container.plaintext(using: secret) == [1, 2, 3])
        // The same as making them one after the other.
        #expect(try me.makeDynamicBinding(targets: [container.ghid], counter: 0, dynamic: nil).ghid == first.ghid)
        let next = secret.ratcheted(previousContainer: container.ghid, dynamic: first.dynamicGhid)
        let (second, update) = try me.makeFrame([4], secret: next, history: [container.ghid], counter: 1, dynamic: first.dynamicGhid)
        #expect(update.targetVector == [second.ghid, container.ghid] && update.dynamicGhid == first.dynamicGhid)
        try verifier.verify(GolixObject(parsing: update.serialized()))
        try verifier.verify(GolixObject(parsing: second.serialized()))
        #expect(throws: GolixError.self) { try me.makeFrame([], secret: next, history: [], counter: 0, dynamic: nil) }
    }
}
