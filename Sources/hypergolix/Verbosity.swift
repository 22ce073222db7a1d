import ArgumentParser
import Logging

/// The original's verbosity names (the server's and the app's sets), mapped onto swift-log levels.
enum Verbosity: String, ExpressibleByArgument, CaseIterable {
    case extreme, shouty, louder, loud, normal, quiet
    case debug, info, warning, error

    var level: Logger.Level {
        switch self {
        case .extreme: return .trace
        case .shouty, .debug: return .debug
        case .louder, .info: return .info
        case .loud: return .notice
        case .normal, .warning: return .warning
        case .error: return .error
        case .quiet: return .critical
        }
    }

    /// The level for a run: an explicit verbosity wins, then `--debug`, then the default.
    static func level(_ verbosity: Verbosity?, debug: Bool, default fallback: Logger.Level = .notice) -> Logger.Level {
        verbosity?.level ?? (debug ? .debug : fallback)
    }
}

enum Logging {
    /// Logs go to standard error: the foreground terminal, or the log file a background start opened.
    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
