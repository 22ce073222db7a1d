import Golix
import HGX

/// The telemeter tutorial's reader ("telereader"): asks a telemeter to pair by sharing a pairing object with
/// it, receives the status object it shares back, reports every update, and can set the telemeter's interval
/// through a JSON object of its own.
public actor TelemeterMonitor {
    public nonisolated let link: HGXLink
    public nonisolated let telemeter: Ghid
    private let onStatus: @Sendable (String) -> Void

    /// The telemeter's status object, once it arrived.
    public private(set) var status: HGXJSONObject?
    public private(set) var pairing: HGXJSONObject?
    public private(set) var interval: HGXJSONObject?

    /// - Parameter onStatus: receives each status text (and a line when the status object arrives).
    public init(link: HGXLink, telemeter: Ghid, onStatus: @escaping @Sendable (String) -> Void) {
        self.link = link
        self.telemeter = telemeter
        self.onStatus = onStatus
    }

    /// Listens for the status object, then asks the telemeter to pair.
    public func start() async throws {
        // Registered before pairing, or the telemeter's answer could arrive with nobody to take it.
        try await link.registerShareHandler(for: TelemeterAPI.status) { [weak self] share in
            await self?.receiveStatus(share)
        }
        let pairing = try await link.new(JSONCodec.self, state: "Hello world!", apiID: TelemeterAPI.pair)
        self.pairing = pairing
        try await pairing.share(with: telemeter)
    }

    /// Sets the telemeter's reporting interval: shares a new interval object, or updates the one shared.
    public func setInterval(seconds: Double) async throws {
        if let interval {
            try await interval.push(.double(seconds))
        } else {
            let interval = try await link.new(JSONCodec.self, state: .double(seconds), apiID: TelemeterAPI.interval)
            self.interval = interval
            try await interval.share(with: telemeter)
        }
    }

    private func receiveStatus(_ share: IncomingShare) async {
        guard share.origin == telemeter else { return }
        do {
            let status = try await link.get(JSONCodec.self, share.ghid)
            self.status = status
            onStatus("Incoming status: \(status.ghid.base64)")
            let onStatus = self.onStatus
            status.callback = { status in onStatus(Self.text(of: status.state)) }
            onStatus(Self.text(of: status.state))
        } catch {
            onStatus("could not read the status object: \(error)")
        }
    }

    /// A status is a JSON string; anything else is shown as its JSON.
    static func text(of state: JSONValue) -> String {
        state.stringValue ?? state.pythonJSONString
    }
}
