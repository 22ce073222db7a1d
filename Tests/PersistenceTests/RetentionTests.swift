import Foundation
import Golix
import Testing
@testable import Persistence

/// Retention and garbage collection (HYPERGOLIX-0.1-WIRE §2.4).
@Suite struct RetentionTests {
    let alice = World.alice
    let bob = World.bob

    @Test(arguments: StorageKind.allCases)
    func aNewFrameReplacesTheOldOneAndCollectsItsContainer(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        let outcomes = try object.push(to: world)
        #expect(try !world.exists(object.frames[0].ghid))
        #expect(try !world.exists(object.containers[0].ghid))
        #expect(outcomes[0].removed.map(\.ghid) == [object.containers[0].ghid])
        #expect(try world.librarian.retrieve(object.dynamic) == object.frames[1].serialized())
        #expect(try world.exists(object.containers[1].ghid))
    }

    @Test(arguments: StorageKind.allCases)
    func aHeldContainerSurvivesItsFrame(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        // freeze: a static binding of the current container
        try world.publish(.staticBinding(alice.makeStaticBinding(target: object.containers[0].ghid)))
        try object.push(to: world)
        #expect(try world.exists(object.containers[0].ghid))
    }

    @Test(arguments: StorageKind.allCases)
    func debindingAStaticBindingCollectsItsContainer(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        try object.publish(to: world)
        let debinding = try alice.makeDebinding(target: object.binding.ghid)
        let outcome = try world.publish(.debinding(debinding))
        #expect(Set(outcome.removed.map(\.ghid)) == [object.binding.ghid, object.container.ghid])
        #expect(try !world.exists(object.container.ghid))
        // Debindings themselves are kept, so the binding cannot come back.
        #expect(try world.exists(debinding.ghid))
        #expect(throws: PersistenceError.alreadyDebound(object.binding.ghid)) { try world.publish(.staticBinding(object.binding)) }
    }

    @Test(arguments: StorageKind.allCases)
    func aContainerBoundTwiceNeedsBothDebound(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        try object.publish(to: world)
        let second = try bob.makeStaticBinding(target: object.container.ghid)
        try world.publish(.staticBinding(second))
        try world.publish(.debinding(alice.makeDebinding(target: object.binding.ghid)))
        #expect(try world.exists(object.container.ghid))
        try world.publish(.debinding(bob.makeDebinding(target: second.ghid)))
        #expect(try !world.exists(object.container.ghid))
    }

    @Test(arguments: StorageKind.allCases)
    func debindingADynamicBindingCollectsItAndNotifiesItsSubscribers(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        let debinding = try alice.makeDebinding(target: object.dynamic)
        let outcome = try world.publish(.debinding(debinding))
        #expect(outcome.notifications == [Notification(subscription: object.dynamic, object: debinding.ghid)])
        #expect(try !world.exists(object.dynamic))
        #expect(try !world.exists(object.containers[0].ghid))
    }

    @Test(arguments: StorageKind.allCases)
    func aHeldDynamicBindingSurvivesItsDebinding(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        try world.publish(.staticBinding(bob.makeStaticBinding(target: object.dynamic)))
        let outcome = try world.publish(.debinding(alice.makeDebinding(target: object.dynamic)))
        #expect(outcome.removed.isEmpty)
        #expect(try world.exists(object.dynamic))
    }

    @Test(arguments: StorageKind.allCases)
    func aFrameDebindingAimedAtAFrameGhidCollectsNothing(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        let outcome = try world.publish(.debinding(alice.makeDebinding(target: object.frames[0].ghid)))
        #expect(outcome.removed.isEmpty)
        #expect(try world.exists(object.dynamic))
    }

    @Test(arguments: StorageKind.allCases)
    func requestsAreKeptUntilTheirRecipientDebindsThem(_ kind: StorageKind) throws {
        let world = try World(kind)
        let request = try alice.makeRequest(.handshake(target: .pseudorandom(), secret: .random()), to: bob.identity)
        try world.publish(.request(request))
        #expect(try world.librarian.requests(for: bob.ghid) == [request.ghid])
        let debinding = try bob.makeDebinding(target: request.ghid)
        let outcome = try world.publish(.debinding(debinding))
        #expect(outcome.notifications == [Notification(subscription: bob.ghid, object: debinding.ghid)])
        #expect(try world.librarian.requests(for: bob.ghid).isEmpty)
        #expect(try !world.exists(request.ghid))
    }

    @Test(arguments: StorageKind.allCases)
    func debindingADebindingRemovesIt(_ kind: StorageKind) throws {
        let world = try World(kind)
        let first = try alice.makeDebinding(target: .pseudorandom())
        try world.publish(.debinding(first))
        let outcome = try world.publish(.debinding(alice.makeDebinding(target: first.ghid)))
        #expect(outcome.removed.map(\.ghid) == [first.ghid])
    }

    @Test(arguments: StorageKind.allCases)
    func identitiesAreNeverCollected(_ kind: StorageKind) throws {
        let world = try World(kind)
        #expect(throws: PersistenceError.self) { try world.publish(.debinding(alice.makeDebinding(target: alice.ghid))) }
        #expect(try world.exists(alice.ghid))
    }
}
