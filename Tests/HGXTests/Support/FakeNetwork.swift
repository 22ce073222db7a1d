import Golix
import HypergolixWire

/// What a set of ``FakeDaemon``s share, standing in for the persistence servers between real daemons: the
/// objects themselves, and which daemon answers for which fingerprint.
actor FakeNetwork {
    struct Object {
        var state: [UInt8]
        var author: Ghid
        var apiID: ApiID
        var isDynamic: Bool
        var isDeleted = false
    }

    private(set) var objects: [Ghid: Object] = [:]
    private var daemons: [Ghid: FakeDaemon] = [:]

    func join(_ daemon: FakeDaemon, as fingerprint: Ghid) {
        daemons[fingerprint] = daemon
    }

    func daemon(for fingerprint: Ghid) -> FakeDaemon? {
        daemons[fingerprint]
    }

    func object(_ ghid: Ghid) -> Object? {
        objects[ghid].flatMap { $0.isDeleted ? nil : $0 }
    }

    func store(_ object: Object, at ghid: Ghid) {
        objects[ghid] = object
    }

    /// Records a new state and tells every daemon, which tells its tracking apps (except the updater).
    func update(_ ghid: Ghid, state: [UInt8], from origin: FakeDaemon, connection: Int) async {
        objects[ghid]?.state = state
        for daemon in daemons.values {
            await daemon.distributeUpdate(ghid, skipping: daemon === origin ? connection : nil)
        }
    }

    func delete(_ ghid: Ghid, from origin: FakeDaemon, connection: Int) async {
        objects[ghid]?.isDeleted = true
        for daemon in daemons.values {
            await daemon.distributeDeletion(ghid, skipping: daemon === origin ? connection : nil)
        }
    }
}
