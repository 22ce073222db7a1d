import Logging

extension HGXLink {
    /// Where the daemon is and how patiently to reach it.
    public struct Configuration: Sendable {
        /// The daemon's IPC host; loopback (the daemon only listens there).
        public var host: String
        /// The daemon's IPC port (`hypergolix config --ipc-port`, 7772 by default).
        public var ipcPort: Int
        /// How long ``HGXLink/connect(configuration:)`` keeps trying to reach the daemon; nil waits forever,
        /// as the original `HGXLink()` does.
        public var connectTimeout: Duration?
        /// How long an operation started while the link is reconnecting waits for the connection before
        /// failing with ``HGXError/unavailable(_:)``; nil waits forever.
        public var reconnectWait: Duration?
        public var reconnect: ReconnectPolicy
        /// How many previous frames each update of a dynamic object keeps (the original's default 7; the
        /// daemon cannot take 0).
        public var legroom: UInt8
        public var logger: Logger

        public init(
            host: String = "127.0.0.1",
            ipcPort: Int = 7772,
            connectTimeout: Duration? = .seconds(30),
            reconnectWait: Duration? = .seconds(30),
            reconnect: ReconnectPolicy = .default,
            legroom: UInt8 = 7,
            logger: Logger = Logger(label: "hgx")
        ) {
            self.host = host
            self.ipcPort = ipcPort
            self.connectTimeout = connectTimeout
            self.reconnectWait = reconnectWait
            self.reconnect = reconnect
            self.legroom = max(legroom, 1)
            self.logger = logger
        }

        var url: String {
            let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            return "ws://\(bracketed):\(ipcPort)/"
        }
    }
}
