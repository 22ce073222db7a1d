import Logging

extension Logger {
    /// The logger to hand Hummingbird: it reports a cancelled listener as an error on every shutdown, while
    /// everything that matters (a port that cannot be bound) is thrown to the caller anyway.
    public var quietenedForHummingbird: Logger {
        var quiet = self
        quiet.logLevel = max(logLevel, .critical)
        return quiet
    }
}
