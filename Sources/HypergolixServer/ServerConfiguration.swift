/// How a persistence server runs.
public struct ServerConfiguration: Sendable {
    /// The address to listen on; loopback unless asked otherwise.
    public var host: String
    /// 7770 by default, as the original; 0 picks a free port (see ``PersistenceServer/port``).
    public var port: Int
    /// Where the SQLite database lives; nil keeps everything in memory, as the original without `--cachedir`.
    public var cacheDirectory: String?
    /// A separate plain-HTTP health check port (the original's fixed 7777); the WebSocket port always
    /// answers `GET` with 200 as well.
    public var healthPort: Int?
    /// Require frames to carry their predecessor's target in their history (see ``PersistenceRules``).
    public var checksFrameHistory: Bool

    public init(
        host: String = "127.0.0.1",
        port: Int = 7770,
        cacheDirectory: String? = nil,
        healthPort: Int? = nil,
        checksFrameHistory: Bool = true
    ) {
        self.host = host
        self.port = port
        self.cacheDirectory = cacheDirectory
        self.healthPort = healthPort
        self.checksFrameHistory = checksFrameHistory
    }

    public static let databaseName = "objects.sqlite"
}
