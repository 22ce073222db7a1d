import Golix
import HGX

/// The telemeter tutorial's sender (seeds 001/003): pushes a status report to a JSON object on an interval,
/// pairs with the first monitor that asks (trust on first connect) by sharing the status object with it,
/// and lets that monitor set the interval through a JSON object it shares, clamped by an ``IntervalPolicy``.
public actor Telemeter {
    public nonisolated let link: HGXLink
    public nonisolated let policy: IntervalPolicy
    private let initialInterval: Double
    private let report: @Sendable () async -> String
    private let onEvent: @Sendable (String) -> Void

    /// The status object, once ``start()`` created it.
    public private(set) var status: HGXJSONObject?
    /// The monitor we trust: the first to send a pairing request.
    public private(set) var pairedFingerprint: Ghid?
    /// The interval object the paired monitor shared, if any; it updates by itself.
    public private(set) var intervalSource: HGXJSONObject?
    /// How many reports were pushed.
    public private(set) var reportsPushed = 0
    private var earlyIntervals: [Ghid: IncomingShare] = [:]

    /// - Parameters:
    ///   - initialInterval: seconds between reports until a monitor sets another interval.
    ///   - report: makes each report's text; by default a sample of this machine.
    ///   - onEvent: hears what the telemeter does, in plain words.
    public init(
        link: HGXLink,
        initialInterval: Double = 5,
        policy: IntervalPolicy = IntervalPolicy(),
        report: @escaping @Sendable () async -> String = { await StatusReport.sample().text },
        onEvent: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.link = link
        self.initialInterval = initialInterval
        self.policy = policy
        self.report = report
        self.onEvent = onEvent
    }

    /// The reporting interval now, in seconds: the monitor's request or the initial one, clamped.
    public var intervalSeconds: Double {
        policy.seconds(for: intervalSource?.state ?? .double(initialInterval))
    }

    /// Creates the status object and starts listening for pairing and interval requests.
    public func start() async throws {
        let status = try await link.new(JSONCodec.self, state: "Hello world!", apiID: TelemeterAPI.status)
        self.status = status
        onEvent("status object \(status.ghid.base64)")
        try await link.registerShareHandler(for: TelemeterAPI.pair) { [weak self] share in
            await self?.pair(with: share.origin)
        }
        try await link.registerShareHandler(for: TelemeterAPI.interval) { [weak self] share in
            await self?.useInterval(share)
        }
    }

    /// Pushes reports until the calling task is cancelled. A failed push is reported and retried at the
    /// next tick (the link reconnects by itself).
    public func run() async {
        let clock = ContinuousClock()
        var schedule = DriftCorrectingSchedule(start: clock.now)
        while !Task.isCancelled {
            let started = clock.now
            await pushReport()
            let next = schedule.advance(by: policy.duration(for: intervalSource?.state ?? .double(initialInterval)), now: clock.now)
            onEvent("reported in \(EchoDemo.milliseconds(clock.now - started)); next in \(EchoDemo.milliseconds(next - clock.now))")
            do {
                try await Task.sleep(until: next, clock: clock)
            } catch {
                return
            }
        }
    }

    /// Makes and pushes one report now.
    public func pushReport() async {
        guard let status else { return }
        do {
            try await status.push(.string(await report()))
            reportsPushed += 1
        } catch {
            onEvent("could not push the status: \(error)")
        }
    }

    /// Trust on first connect: the first origin becomes the paired monitor; it may ask again (to re-pair
    /// after a long absence), anyone else is ignored.
    func pair(with origin: Ghid) async {
        if pairedFingerprint == nil {
            pairedFingerprint = origin
            onEvent("paired with \(origin.base64)")
            let early = earlyIntervals.removeValue(forKey: origin)
            earlyIntervals.removeAll()
            if let early { await useInterval(early) }
        } else if pairedFingerprint != origin {
            onEvent("ignored a pairing request from \(origin.base64)")
            return
        }
        guard let status else { return }
        do {
            try await status.share(with: origin)
        } catch {
            onEvent("could not share the status with \(origin.base64): \(error)")
        }
    }

    func useInterval(_ share: IncomingShare) async {
        if pairedFingerprint == nil {
            // A monitor shares its pairing request and then its interval; their handlers run concurrently,
            // so the interval may come first. It is used if its sender pairs.
            earlyIntervals[share.origin] = share
            return
        }
        guard share.origin == pairedFingerprint else {
            onEvent("ignored an interval from \(share.origin.base64), which is not our monitor")
            return
        }
        do {
            intervalSource = try await link.get(JSONCodec.self, share.ghid)
            onEvent("interval set by the monitor: \(intervalSeconds) s")
        } catch {
            onEvent("could not read the interval object: \(error)")
        }
    }
}
