/// Returns when the process receives SIGINT or SIGTERM.
func waitForSignal() async {
    let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
    let watcher = SignalWatcher { continuation.yield($0) }
    for await _ in signals { break }
    withExtendedLifetime(watcher) {}
}
