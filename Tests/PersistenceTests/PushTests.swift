import Foundation
import Golix
import Testing
@testable import Persistence

/// Which pushes an ingest asks for (HYPERGOLIX-0.1-WIRE §2.5).
@Suite struct PushTests {
    let alice = World.alice
    let bob = World.bob

    @Test(arguments: StorageKind.allCases)
    func aFrameIsAnnouncedWhenItsContainerArrives(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        let (frame, container) = try object.advance()
        let bindingFirst = try world.publish(.dynamicBinding(frame))
        #expect(bindingFirst.notifications.isEmpty)
        let containerSecond = try world.publish(.container(container))
        #expect(containerSecond.notifications == [Notification(subscription: object.dynamic, object: frame.ghid)])
    }

    @Test(arguments: StorageKind.allCases)
    func aFrameWhoseContainerIsThereIsAnnouncedAtOnce(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        try object.publish(to: world)
        let frame = try alice.makeDynamicBinding(targets: [object.container.ghid], counter: 0, dynamic: nil)
        #expect(try world.publish(.dynamicBinding(frame)).notifications
            == [Notification(subscription: frame.dynamicGhid, object: frame.ghid)])
    }

    @Test(arguments: StorageKind.allCases)
    func aSupersededFrameIsNotAnnounced(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        let (first, firstContainer) = try object.advance()
        let (second, secondContainer) = try object.advance()
        try world.publish(.dynamicBinding(first))
        try world.publish(.dynamicBinding(second))
        #expect(throws: PersistenceError.unboundContainer(firstContainer.ghid)) { try world.publish(.container(firstContainer)) }
        #expect(try world.publish(.container(secondContainer)).notifications
            == [Notification(subscription: object.dynamic, object: second.ghid)])
    }

    @Test(arguments: StorageKind.allCases)
    func requestsAreAnnouncedToTheirRecipient(_ kind: StorageKind) throws {
        let world = try World(kind)
        let request = try alice.makeRequest(.ack(target: .pseudorandom(), status: 0), to: bob.identity)
        #expect(try world.publish(.request(request)).notifications == [Notification(subscription: bob.ghid, object: request.ghid)])
    }

    @Test(arguments: StorageKind.allCases)
    func duplicatesChangeNothingAndAnnounceNothing(_ kind: StorageKind) throws {
        let world = try World(kind)
        var object = DynamicObject(alice)
        try object.push(to: world)
        #expect(try world.publish(.dynamicBinding(object.frames[0])) == IngestOutcome(isNew: false))
        #expect(try world.publish(.container(object.containers[0])) == IngestOutcome(isNew: false))
    }

    @Test(arguments: StorageKind.allCases)
    func staticObjectsIdentitiesAndDebindingsOfStaticsAnnounceNothing(_ kind: StorageKind) throws {
        let world = try World(kind)
        let object = try StaticObject(alice)
        #expect(try world.publish(.staticBinding(object.binding)).notifications.isEmpty)
        #expect(try world.publish(.container(object.container)).notifications.isEmpty)
        #expect(try world.publish(.debinding(alice.makeDebinding(target: object.binding.ghid))).notifications.isEmpty)
        #expect(try world.publish(.identity(World.carol.identity)).notifications.isEmpty)
    }
}
