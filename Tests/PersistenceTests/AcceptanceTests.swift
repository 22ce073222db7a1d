import Foundation
import Golix
import Testing
@testable import Persistence

/// One test per row of the acceptance table (HYPERGOLIX-0.1-WIRE §2.3), on both storages.
@Suite struct AcceptanceTests {
    let alice = World.alice
    let bob = World.bob

    @Test(arguments: StorageKind.allCases)
    func identitiesAreAcceptedOnceAndKeptForever(_ kind: StorageKind) throws {
        let world = try World(kind, registering: [])
        #expect(try world.publish(.identity(alice.identity)).isNew)
        #expect(try !world.publish(.identity(alice.identity)).isNew)
        #expect(try world.librarian.retrieve(alice.ghid) == alice.identity.serialized())
        #expect(try world.librarian.identity(alice.ghid) == alice.identity)
    }

    @Test(arguments: StorageKind.allCases)
    func containersMustBeBoundFirst(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        #expect(throws: PersistenceError.unboundContainer(object.container.ghid)) {
            try world.publish(.container(object.container))
        }
        try object.publish(to: world)
        #expect(try world.exists(object.container.ghid))
        // Anyone may bind (and so keep) anyone's container: bob binds alice's.
        let other = try alice.makeContainer([1, 2, 3], secret: .random())
        try world.publish(.staticBinding(bob.makeStaticBinding(target: other.ghid)))
        #expect(try world.publish(.container(other)).isNew)
    }

    @Test(arguments: StorageKind.allCases)
    func aCurrentFrameBindsItsContainer(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        #expect(try world.exists(object.containers[0].ghid))
        #expect(try world.librarian.retrieve(object.dynamic) == object.frames[0].serialized())
    }

    @Test(arguments: StorageKind.allCases)
    func signersMustBeKnownIdentities(_ kind: StorageKind) throws {
        let world = try World(kind)
        let stranger = World.carol
        let binding = try stranger.makeStaticBinding(target: .pseudorandom())
        #expect(throws: PersistenceError.invalidIdentity(stranger.ghid)) { try world.publish(.staticBinding(binding)) }
        // A ghid that exists but is not an identity is no signer either.
        var object = DynamicObject(alice)
        try object.push(to: world)
        let request = try alice.makeRequest(.ack(target: .pseudorandom(), status: 0), to: stranger.identity)
        #expect(throws: PersistenceError.invalidIdentity(stranger.ghid)) { try world.publish(.request(request)) }
        try world.publish(.identity(stranger.identity))
        #expect(try world.publish(.staticBinding(binding)).isNew)
        #expect(try world.publish(.request(request)).isNew)
    }

    @Test(arguments: StorageKind.allCases)
    func forgedAndMalformedObjectsAreRefused(_ kind: StorageKind) throws {
        let world = try World(kind)
        var bytes = try alice.makeStaticBinding(target: .pseudorandom()).serialized()
        bytes[bytes.count - 1] ^= 1
        #expect(throws: PersistenceError.verificationFailed("signature verification failed")) { try world.publish(bytes) }
        #expect(throws: PersistenceError.self) { try world.publish(Array(bytes.dropLast())) }
        do {
            try world.publish(Array("GARBAGE!".utf8))
            Issue.record("garbage accepted")
        } catch {
            guard case .malformed = error else { Issue.record("\(error)"); return }
        }
    }

    @Test(arguments: StorageKind.allCases)
    func bindingsMayTargetOnlyContainersAndDynamicBindings(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        try object.publish(to: world)
        let debinding = try bob.makeDebinding(target: .pseudorandom())
        try world.publish(.debinding(debinding))
        let request = try alice.makeRequest(.ack(target: .pseudorandom(), status: 0), to: bob.identity)
        try world.publish(.request(request))
        for forbidden in [bob.ghid, object.binding.ghid, debinding.ghid, request.ghid] {
            let kind = try #require(try world.librarian.summary(forbidden)).kind
            #expect(throws: PersistenceError.invalidTarget("a binding cannot target a \(kind)")) {
                try world.publish(.staticBinding(alice.makeStaticBinding(target: forbidden)))
            }
            #expect(throws: PersistenceError.self) {
                try world.publish(.dynamicBinding(alice.makeDynamicBinding(targets: [forbidden], counter: 0, dynamic: nil)))
            }
        }
        var dynamic = DynamicObject(alice)
        try dynamic.push(to: world)
        // Allowed: a container, a dynamic ghid (hold), or something not (yet) known.
        for allowed in [object.container.ghid, dynamic.dynamic, Ghid.pseudorandom()] {
            #expect(try world.publish(.staticBinding(bob.makeStaticBinding(target: allowed))).isNew)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func framesMustAdvanceTheirCounter(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        try object.push(to: world)
        let (frame2, container2) = try object.advance()
        let stale = try alice.makeDynamicBinding(
            targets: [container2.ghid, object.containers[1].ghid], counter: 1, dynamic: object.dynamic)
        #expect(throws: PersistenceError.self) { try world.publish(.dynamicBinding(stale)) }
        do {
            try world.publish(.dynamicBinding(stale))
        } catch {
            guard case .illegalDynamicFrame = error else { Issue.record("\(error)"); return }
        }
        #expect(try world.publish(.dynamicBinding(frame2)).isNew)
        #expect(try world.publish(.container(container2)).isNew)
    }

    @Test(arguments: StorageKind.allCases)
    func onlyTheBinderMayAdvanceABinding(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        let container = try bob.makeContainer([9], secret: .random())
        let hijack = try bob.makeDynamicBinding(
            targets: [container.ghid, object.containers[0].ghid], counter: 5, dynamic: object.dynamic)
        #expect(throws: PersistenceError.inconsistentAuthor("only the binder of a dynamic binding may advance it")) {
            try world.publish(.dynamicBinding(hijack))
        }
    }

    @Test(arguments: StorageKind.allCases)
    func framesMustCarryTheirPredecessor(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        let forked = try alice.makeDynamicBinding(
            targets: [Ghid.pseudorandom(), Ghid.pseudorandom()], counter: 1, dynamic: object.dynamic)
        #expect(throws: PersistenceError.illegalDynamicFrame("history does not contain the target of frame 0 at position 1")) {
            try world.publish(.dynamicBinding(forked))
        }
        // A gap longer than the history cannot be checked and is accepted, as a server that missed frames must.
        let far = try alice.makeDynamicBinding(targets: [Ghid.pseudorandom(), Ghid.pseudorandom()], counter: 9, dynamic: object.dynamic)
        #expect(try world.publish(.dynamicBinding(far)).isNew)
        // The original's rule alone (counter only) is available for compatibility.
        let rules = PersistenceRules(checksFrameHistory: false)
        let librarian = Librarian(storage: MemoryStorage(), rules: rules)
        _ = try librarian.publish(alice.identity.serialized())
        _ = try librarian.publish(object.frames[0].serialized())
        #expect(try librarian.publish(forked.serialized()).1.isNew)
    }

    @Test(arguments: StorageKind.allCases)
    func debindingsMayTargetOnlyBindingsDebindingsAndRequests(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        try object.publish(to: world)
        for forbidden in [alice.ghid, object.container.ghid] {
            #expect(throws: PersistenceError.self) { try world.publish(.debinding(alice.makeDebinding(target: forbidden))) }
        }
        #expect(try world.publish(.debinding(alice.makeDebinding(target: object.binding.ghid))).isNew)
    }

    @Test(arguments: StorageKind.allCases)
    func onlyTheBinderOrRecipientMayDebind(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        try object.publish(to: world)
        #expect(throws: PersistenceError.inconsistentAuthor("only the binder of an object may debind it")) {
            try world.publish(.debinding(bob.makeDebinding(target: object.binding.ghid)))
        }
        let request = try alice.makeRequest(.ack(target: .pseudorandom(), status: 0), to: bob.identity)
        try world.publish(.request(request))
        #expect(throws: PersistenceError.inconsistentAuthor("only a request's recipient may debind it")) {
            try world.publish(.debinding(alice.makeDebinding(target: request.ghid)))
        }
        #expect(try world.publish(.debinding(bob.makeDebinding(target: request.ghid))).isNew)
    }

    @Test(arguments: StorageKind.allCases)
    func debindingsBeforeTheirTargetAreJudgedWhenItArrives(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        // A valid debinding first: the binding is then refused as already debound.
        try world.publish(.debinding(alice.makeDebinding(target: object.binding.ghid)))
        #expect(throws: PersistenceError.alreadyDebound(object.binding.ghid)) { try world.publish(.staticBinding(object.binding)) }
        // An unentitled debinding first: it is dropped and the binding stands.
        let other = try StaticObject(alice, "other")
        let rogue = try bob.makeDebinding(target: other.binding.ghid)
        try world.publish(.debinding(rogue))
        try other.publish(to: world)
        #expect(try world.exists(other.container.ghid))
        #expect(try !world.exists(rogue.ghid))
    }

    @Test(arguments: StorageKind.allCases)
    func debindingsAndRequestsCanThemselvesBeDebound(_ kind: StorageKind) throws {
        let world = try World(kind)
        let first = try alice.makeDebinding(target: .pseudorandom())
        let second = try alice.makeDebinding(target: first.ghid)
        try world.publish(.debinding(second))
        #expect(throws: PersistenceError.alreadyDebound(first.ghid)) { try world.publish(.debinding(first)) }
        let request = try alice.makeRequest(.ack(target: .pseudorandom(), status: 0), to: bob.identity)
        try world.publish(.debinding(bob.makeDebinding(target: request.ghid)))
        #expect(throws: PersistenceError.alreadyDebound(request.ghid)) { try world.publish(.request(request)) }
    }

    @Test(arguments: StorageKind.allCases)
    func aDeboundDynamicBindingStaysDeadUnlessHeld(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        try world.publish(.debinding(alice.makeDebinding(target: object.dynamic)))
        #expect(try !world.exists(object.dynamic))
        let (frame, _) = try object.advance()
        #expect(throws: PersistenceError.alreadyDebound(object.dynamic)) { try world.publish(.dynamicBinding(frame)) }
        // Holding the dynamic ghid resurrects it.
        try world.publish(.staticBinding(alice.makeStaticBinding(target: object.dynamic)))
        #expect(try world.publish(.dynamicBinding(frame)).isNew)
    }

    @Test(arguments: StorageKind.allCases)
    func requestsMustBeSealedWithTheRecipientsSuite(_ kind: StorageKind) throws {
        let world = try World(kind)
        let classic = try PrivateIdentity(portable: Fixtures.identities.identities["alice"]!)
        try world.publish(.identity(classic.identity))
        let request = try alice.makeRequest(.ack(target: .pseudorandom(), status: 0), to: classic.identity)
        #expect(try world.publish(.request(request)).isNew)
        // Re-label a suite-3 sealed request as addressed to a suite-1 identity: refused before storage.
        var bytes = try alice.makeRequest(.ack(target: .pseudorandom(), status: 0), to: bob.identity).serialized()
        bytes.replaceSubrange(9..<74, with: classic.ghid.bytes)
        #expect(throws: PersistenceError.self) { try world.publish(bytes) }
    }

    @Test(arguments: StorageKind.allCases)
    func queriesAnswerAsTheOriginal(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        try object.publish(to: world)
        var dynamic = DynamicObject(alice)
        try dynamic.push(to: world)
        let hold = try bob.makeStaticBinding(target: object.container.ghid)
        try world.publish(.staticBinding(hold))
        let holdDynamic = try bob.makeDynamicBinding(targets: [object.container.ghid], counter: 0, dynamic: nil)
        try world.publish(.dynamicBinding(holdDynamic))
        #expect(Set(try world.librarian.bindings(of: object.container.ghid))
            == [object.binding.ghid, hold.ghid, holdDynamic.dynamicGhid])
        let debinding = try bob.makeDebinding(target: hold.ghid)
        try world.publish(.debinding(debinding))
        #expect(try world.librarian.debindings(of: hold.ghid) == [debinding.ghid])
        #expect(try world.librarian.exists(dynamic.dynamic))
        #expect(try world.librarian.exists(dynamic.frames[0].ghid))
        #expect(try !world.librarian.exists(.pseudorandom()))
        let missing = Ghid.pseudorandom()
        #expect(throws: PersistenceError.doesNotExist(missing)) { try world.librarian.retrieve(missing) }
    }
}
