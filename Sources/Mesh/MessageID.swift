/// Names one message network-wide: the node that originated it and that node's serial number.
///
/// Serials start at the originating node's wall clock in microseconds and count up from there, so a
/// node restarted under the same ``NodeID`` carries on above the serials of its previous life
/// (unless it sent more than a million messages a second on average, or its clock stepped back).
/// That keeps duplicate suppression and "newest peer set wins" right across restarts.
public struct MessageID: Hashable, Sendable {
    public let origin: NodeID
    public let serial: UInt64

    public init(origin: NodeID, serial: UInt64) {
        self.origin = origin
        self.serial = serial
    }
}

extension MessageID: CustomStringConvertible {
    public var description: String {
        "\(origin.shortDescription)#\(serial)"
    }
}
