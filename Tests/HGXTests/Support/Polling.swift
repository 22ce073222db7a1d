import Foundation
import HGX
import Logging
import Synchronization

/// Waits until `condition` holds, checking often, for at most `timeout` (generous: these are deadlines for
/// things that normally take milliseconds, never expected durations). Returns whether it held.
func eventually(timeout: Duration = .seconds(20), _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

/// The first element of `stream` that matches, or nil if none came within `timeout`.
func first<Element: Sendable>(
    of stream: AsyncStream<Element>,
    within timeout: Duration = .seconds(20),
    where matches: @escaping @Sendable (Element) -> Bool = { _ in true }
) async -> Element? {
    await withTaskGroup(of: Element?.self) { group in
        group.addTask {
            for await element in stream where matches(element) { return element }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        return await group.next() ?? nil
    }
}

/// The first `count` elements of `stream`, or fewer if it ends or `timeout` passes first.
func collect<Element: Sendable>(_ stream: AsyncStream<Element>, count: Int, within timeout: Duration = .seconds(20)) async -> [Element] {
    let gathered = Recorder<Element>()
    await withTaskGroup(of: Void.self) { group in
        group.addTask {
            for await element in stream {
                gathered.append(element)
                if gathered.count >= count { return }
            }
        }
        group.addTask { try? await Task.sleep(for: timeout) }
        await group.next()
        group.cancelAll()
    }
    return gathered.all
}

/// Whether `stream` finishes (after any elements still in it) within `timeout`.
func ends<Element: Sendable>(_ stream: AsyncStream<Element>, within timeout: Duration = .seconds(20)) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            for await _ in stream where Task.isCancelled { return false }
            return !Task.isCancelled
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return false
        }
        defer { group.cancelAll() }
        return await group.next() ?? false
    }
}
