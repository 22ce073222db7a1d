import Golix

/// A live object as the link's registry sees it, whatever its codec: where daemon notifications go.
protocol ObjectSink: AnyObject, Sendable {
    var ghid: Ghid { get }
    /// The daemon pushed a new state (`!O`), or re-read it after a reconnect (`>O`). Notifies only when the
    /// bytes differ from what the object holds.
    func receive(state: [UInt8])
    /// The daemon reported the object deleted (`XO`).
    func receiveDeletion()
    /// The link stopped: end the update streams.
    func linkStopped()
}
