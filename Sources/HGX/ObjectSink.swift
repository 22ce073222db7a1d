import Golix

/// A live object as the link's registry sees it, whatever its codec: where daemon notifications go.
protocol ObjectSink: AnyObject, Sendable {
    var ghid: Ghid { get }
    /// The daemon pushed a state (`!O`: always reported, as the original reports every update), or the link
    /// re-read it (`>O` after a reconnect or during a fetch: reported only if `ifChanged` and it differs).
    func receive(state: [UInt8], ifChanged: Bool)
    /// The daemon reported the object deleted (`XO`).
    func receiveDeletion()
    /// The link stopped: end the update streams.
    func linkStopped()
}
