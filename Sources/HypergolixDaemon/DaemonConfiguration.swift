import Foundation
import Golix

/// How a daemon runs: where its state lives, where apps reach it, which servers it syncs with.
public struct DaemonConfiguration: Sendable {
    /// `~/.hypergolix`: the local store and the configuration file live here.
    public var directory: URL
    public var ipcHost: String
    /// 7772 by default; 0 picks a free port (see ``Daemon/ipcPort()``).
    public var ipcPort: Int
    public var remotes: [HGXConfiguration.Remote]
    /// Refuse IPC connections from other OS users (Linux: the peer socket's owner in /proc/net/tcp).
    public var refusesOtherUsers: Bool
    /// How long account changes wait before they are published, so bursts make one account frame.
    public var accountSyncDelay: Duration

    public init(
        directory: URL,
        ipcHost: String = "127.0.0.1",
        ipcPort: Int = 7772,
        remotes: [HGXConfiguration.Remote] = [],
        refusesOtherUsers: Bool = true,
        accountSyncDelay: Duration = .milliseconds(500)
    ) {
        self.directory = directory
        self.ipcHost = ipcHost
        self.ipcPort = ipcPort
        self.remotes = remotes
        self.refusesOtherUsers = refusesOtherUsers
        self.accountSyncDelay = accountSyncDelay
    }
}

/// How the daemon gets into its account.
public enum Login: Sendable {
    /// A new identity and account, protected by a password or a given root secret.
    case create(password: String?, rootSecret: Secret?, cipherSuite: CipherSuite)
    /// An existing account: its user id and fingerprint (from the configuration) and the password or root secret.
    case existing(userID: Ghid, fingerprint: Ghid, password: String?, rootSecret: Secret?)
}
