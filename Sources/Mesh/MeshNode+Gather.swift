import NIOCore

extension MeshNode {
    /// Scatter-gather: floods a query of `type` to every reachable node, this one included, and
    /// collects their responders' answers. Returns when every node reachable at that moment has
    /// replied (nodes without a responder reply that they decline), or at `timeout` with what
    /// arrived; nodes that become unreachable meanwhile are not waited for. Cancelling the
    /// calling task returns early the same way.
    public func gather(type: String, payload: ByteBuffer, timeout: Duration) async throws(MeshError) -> GatherResult {
        try checkUsable(type: type)
        let serial = takeSerial()
        let query = Flood.Content.query(type: type, payload: payload)
        // Checked up front so that nothing is registered for a query that cannot be sent.
        _ = try MeshFrame.flood(Flood(id: MessageID(origin: id, serial: serial), hops: 0, target: nil, content: query))
            .encoded(limit: configuration.maximumFrameSize, allocator: allocator)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                var pending = PendingGather(continuation: continuation)
                pending.timeout = Task { [weak self] in
                    do {
                        try await Task.sleep(for: timeout)
                    } catch {
                        return
                    }
                    await self?.finishGather(serial)
                }
                gathers[serial] = pending
                _ = try? originate(query, target: nil, serial: serial)
                if Task.isCancelled {
                    finishGather(serial)
                } else {
                    checkGather(serial)
                }
            }
        } onCancel: {
            Task { await self.finishGather(serial) }
        }
    }

    /// Runs this node's responder for a query (or declines) and sends the reply to the asker.
    func answer(_ query: MeshMessage) {
        guard let responder = responders[query.type] else {
            sendReply(to: query.origin, type: query.type, querySerial: query.id.serial, answer: nil)
            return
        }
        // The responder may take its time; the node keeps flooding meanwhile.
        Task { [weak self] in
            let answer = await responder(query)
            await self?.sendReply(to: query.origin, type: query.type, querySerial: query.id.serial, answer: answer)
        }
    }

    private func sendReply(to asker: NodeID, type: String, querySerial: UInt64, answer: ByteBuffer?) {
        guard !isShutDown else { return }
        guard asker != id else {
            recordReply(from: id, querySerial: querySerial, answer: answer)
            return
        }
        do {
            try originate(.reply(type: type, querySerial: querySerial, answer: answer), target: asker)
        } catch {
            logger.warning("reply to \(asker.shortDescription) not sent, declining instead: \(error)")
            _ = try? originate(.reply(type: type, querySerial: querySerial, answer: nil), target: asker)
        }
    }

    func recordReply(from node: NodeID, querySerial: UInt64, answer: ByteBuffer?) {
        // A reply after the gather finished has nobody to go to.
        guard gathers[querySerial] != nil else { return }
        if let answer {
            gathers[querySerial]?.result.replies[node] = answer
            gathers[querySerial]?.result.declined.remove(node)
        } else if gathers[querySerial]?.result.replies[node] == nil {
            gathers[querySerial]?.result.declined.insert(node)
        }
        checkGather(querySerial)
    }

    func checkGathers() {
        for serial in Array(gathers.keys) {
            checkGather(serial)
        }
    }

    private func checkGather(_ serial: UInt64) {
        guard let pending = gathers[serial], topologyTable.reachable.isSubset(of: pending.heard) else { return }
        finishGather(serial)
    }

    func finishGather(_ serial: UInt64) {
        guard var pending = gathers.removeValue(forKey: serial) else { return }
        pending.timeout?.cancel()
        pending.result.missing = topologyTable.reachable.subtracting(pending.heard)
        pending.continuation.resume(returning: pending.result)
    }
}
