import HGX
import Logging

extension HGXLink.Configuration {
    /// A link configuration for tests: quiet, quick to retry, and not waiting long for a missing daemon.
    static func testing(port: Int, connectTimeout: Duration? = .seconds(20), reconnectWait: Duration? = .seconds(20)) -> Self {
        var logger = Logger(label: "hgx-test")
        logger.logLevel = .critical
        return HGXLink.Configuration(
            host: "127.0.0.1", ipcPort: port, connectTimeout: connectTimeout, reconnectWait: reconnectWait,
            reconnect: ReconnectPolicy(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(200)), logger: logger)
    }
}
