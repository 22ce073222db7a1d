import Foundation
import Golix
@testable import HGXDemos
import HypergolixWire
import Testing

@testable import HGX

/// The telemeter tutorial (seeds 001/003): system figures, the report layout, interval clamping, the
/// drift-free schedule, and pairing and remote interval control between two fake users.
@Suite struct TelemeterTests {
    static let procStat = """
        cpu  4705 356 584 3699 23 23 0 0 0 0
        cpu0 1393 162 268 1816 12 1 0 0 0 0
        cpu1 3312 194 316 1883 11 22 0 0 5 2
        intr 114930548 113199788 3 0 5 263 0 4 [... lots more numbers ...]
        ctxt 1990473
        btime 1062191376
        """

    @Test func cpuLinesAreParsedPerCPU() {
        let cpus = CPUTimes.parse(procStat: Self.procStat)
        #expect(cpus == [
            CPUTimes(user: 1393, nice: 162, system: 268, idle: 1816, iowait: 12, irq: 1, softirq: 0, steal: 0),
            CPUTimes(user: 3312, nice: 194, system: 316, idle: 1883, iowait: 11, irq: 22, softirq: 0, steal: 0),
        ])
        #expect(cpus[1].total == 3312 + 194 + 316 + 1883 + 11 + 22, "guest time is already in user and nice")
        #expect(CPUTimes.parse(procStat: "cpu0 1 2 3\ncpuX\n").isEmpty)
        // An old kernel with only four columns.
        #expect(CPUTimes.parse(procStat: "cpu0 1 2 3 4") == [CPUTimes(user: 1, nice: 2, system: 3, idle: 4)])
    }

    @Test func busyPercentagesFollowPsutil() {
        let before = [CPUTimes(user: 100, nice: 0, system: 100, idle: 700, iowait: 100),
                      CPUTimes(user: 0, nice: 0, system: 0, idle: 0),
                      CPUTimes(user: 10, nice: 0, system: 0, idle: 10)]
        let after = [CPUTimes(user: 150, nice: 0, system: 125, idle: 900, iowait: 125),
                     CPUTimes(user: 0, nice: 0, system: 0, idle: 0),
                     CPUTimes(user: 11, nice: 0, system: 0, idle: 12)]
        // 300 ticks passed on cpu0, 225 of them idle or waiting: 25 % busy. cpu1 did not move; cpu2 1 of 3.
        #expect(CPUTimes.busyPercentages(from: before, to: after) == [25.0, 0.0, 33.3])
    }

    @Test func memoryIsReadFromMeminfo() throws {
        let usage = try #require(MemoryUsage.parse(meminfo: """
            MemTotal:        8000000 kB
            MemFree:         1000000 kB
            MemAvailable:    6000000 kB
            Buffers:          100000 kB
            """))
        #expect(usage.total == 8_192_000_000)
        #expect(usage.available == 6_144_000_000)
        #expect(usage.percent == 25.0)
        let old = try #require(MemoryUsage.parse(meminfo: "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 100 kB\nCached: 50 kB\n"))
        #expect(old.available == 250 * 1024)
        #expect(old.percent == 75.0)
        #expect(MemoryUsage.parse(meminfo: "nothing useful") == nil)
    }

    @Test func diskUsageIsPsutils() throws {
        let usage = DiskUsage(blockSize: 4096, blocks: 1000, blocksFree: 300, blocksAvailable: 250)
        #expect(usage.total == 4_096_000)
        #expect(usage.free == 1_024_000)
        #expect(usage.used == 2_867_200)
        #expect(usage.percent == 73.7)
        let root = try #require(DiskUsage.of(path: "/"))
        #expect(root.total > 0 && root.used <= root.total)
        #expect(DiskUsage.of(path: "/no/such/path/here") == nil)
    }

    @Test func bytesAreHumanizedAsTheTutorialDoes() {
        #expect(StatusReport.humanize(0) == "0.00 B")
        #expect(StatusReport.humanize(1023) == "1023.00 B")
        #expect(StatusReport.humanize(1024) == "1.00 KiB")
        #expect(StatusReport.humanize(1536) == "1.50 KiB")
        #expect(StatusReport.humanize(5 * 1024 * 1024 * 1024) == "5.00 GiB")
        #expect(StatusReport.humanize(3 * 1_099_511_627_776 / 2) == "1.50 TiB")
    }

    @Test func theReportIsLaidOutAsTheTutorials() {
        let report = StatusReport(
            timestamp: "2016.12.14 @ 09:17:10", cpuPercentages: [12.5, 0.0, 100.0],
            memory: MemoryUsage(total: 8 * 1024 * 1024 * 1024, available: 6 * 1024 * 1024 * 1024),
            disk: DiskUsage(total: 100 * 1024 * 1024 * 1024, free: 40 * 1024 * 1024 * 1024, used: 60 * 1024 * 1024 * 1024))
        #expect(report.text == """
            2016.12.14 @ 09:17:10
            ==========
            CPU:
            ----------
              12.5%
              0.0%
              100.0%
            MEM:
            ----------
              Avail: 6.00 GiB
              Total: 8.00 GiB
              Used:  25.0%
            DISK:
            ----------
              Avail: 40.00 GiB
              Total: 100.00 GiB
              Used:  60.0%


            """)
        let stamp = StatusReport.timestamp(Date(timeIntervalSince1970: 86_400 * 365))
        #expect(stamp.wholeMatch(of: /(1970|1971)\.(12|01)\.\d\d @ \d\d:\d\d:\d\d/) != nil, "\(stamp)")
    }

    @Test func aSampleOfThisMachineHasEveryPart() async {
        let report = await StatusReport.sample(cpuInterval: .milliseconds(20))
        #expect(!report.cpuPercentages.isEmpty)
        #expect(report.cpuPercentages.allSatisfy { (0...100).contains($0) })
        #expect((report.memory?.total ?? 0) > 0)
        #expect((report.disk?.total ?? 0) > 0)
        #expect(report.text.contains("CPU:\n----------\n"))
    }

    @Test func remoteIntervalsAreClamped() {
        let policy = IntervalPolicy(minimum: 1, maximum: 3600)
        #expect(policy.seconds(for: 5) == 5)
        #expect(policy.seconds(for: 2.5) == 2.5)
        #expect(policy.seconds(for: 0.01) == 1)
        #expect(policy.seconds(for: -7) == 1)
        #expect(policy.seconds(for: .double(.nan)) == 1)
        #expect(policy.seconds(for: .double(.infinity)) == 3600)
        #expect(policy.seconds(for: .bigInteger("123456789012345678901234567890")) == 3600)
        #expect(policy.seconds(for: "fast") == 1)
        #expect(policy.seconds(for: nil) == 1)
        #expect(policy.seconds(for: [5]) == 1)
        #expect(policy.seconds(for: true) == 1)
        #expect(IntervalPolicy(minimum: 2).seconds(for: true) == 2)
        #expect(policy.duration(for: 1.5) == .milliseconds(1500))
        #expect(IntervalPolicy(minimum: 10, maximum: 5).maximum == 10)
    }

    @Test func theScheduleDoesNotDrift() {
        let start = ContinuousClock.now
        var schedule = DriftCorrectingSchedule(start: start)
        // Each report takes 300 ms; the next is still due a whole interval after the previous was due.
        var dues: [Duration] = []
        var now = start
        for _ in 0..<5 {
            now = now + .milliseconds(300)
            dues.append(schedule.advance(by: .seconds(1), now: now) - start)
            now = schedule.due
        }
        #expect(dues == [.seconds(1), .seconds(2), .seconds(3), .seconds(4), .seconds(5)])
        // A report that overran its slot makes the next one due at once, not a burst.
        let late = schedule.due + .milliseconds(2500)
        #expect(schedule.advance(by: .seconds(1), now: late) == late)
        #expect(schedule.advance(by: .seconds(1), now: late) == late + .seconds(1))
    }

    @Test func telemeterPairsWithTheFirstMonitorAndObeysItsInterval() async throws {
        try await FakeWorld.run { world in
            let reports = Recorder<Int>()
            let said = Recorder<String>()
            let telemeterLink = try await world.link(world.alice)
            let telemeter = Telemeter(
                link: telemeterLink, initialInterval: 5, policy: IntervalPolicy(minimum: 0.05),
                report: { reports.append(1); return "report \(reports.count)" }, onEvent: { said.append($0) })
            try await telemeter.start()
            let status = try #require(await telemeter.status)
            #expect(status.apiID == TelemeterAPI.status)

            let monitorLink = try await world.link(world.bob)
            let seen = Recorder<String>()
            let monitor = TelemeterMonitor(link: monitorLink, telemeter: telemeterLink.whoami) { seen.append($0) }
            try await monitor.start()
            #expect(await eventually { await telemeter.pairedFingerprint == monitorLink.whoami })
            #expect(await eventually { await monitor.status != nil })
            #expect(seen.all.first == "Incoming status: \(status.ghid.base64)")
            #expect(seen.all.dropFirst().first == "Hello world!")

            // Another user's monitor is ignored: trust on first connect.
            let stranger = await FakeDaemon(network: world.network)
            try await stranger.start()
            let strangerLink = try await HGXLink.connect(configuration: .testing(port: await stranger.port))
            let strangerMonitor = TelemeterMonitor(link: strangerLink, telemeter: telemeterLink.whoami) { _ in }
            try await strangerMonitor.start()
            try await strangerMonitor.setInterval(seconds: 0.06)
            #expect(await eventually { said.all.contains("ignored a pairing request from \(strangerLink.whoami.base64)") })
            #expect(await eventually { said.all.contains { $0.hasPrefix("ignored an interval from \(strangerLink.whoami.base64)") } })
            #expect(await world.alice.received(.shareObject).compactMap { ShareNotice.parseRequest($0.body)?.recipient } == [monitorLink.whoami])
            #expect(await telemeter.intervalSeconds == 5)

            // The paired monitor sets a short interval, clamped to the minimum, and reports flow.
            try await monitor.setInterval(seconds: 0.001)
            #expect(await eventually { await telemeter.intervalSeconds == 0.05 })
            let running = Task { await telemeter.run() }
            #expect(await eventually { seen.all.contains("report 3") })
            try await monitor.setInterval(seconds: 0.2)
            #expect(await eventually { await telemeter.intervalSeconds == 0.2 })
            running.cancel()
            await running.value
            #expect(await telemeter.pairedFingerprint == monitorLink.whoami)
            #expect(await telemeter.reportsPushed >= 3)
            #expect(await strangerMonitor.status == nil, "the status was not shared with a stranger")
            await strangerLink.stop()
            await stranger.stop()
        }
    }

    @Test func anIntervalThatArrivesBeforeItsPairingIsUsedOncePaired() async throws {
        try await FakeWorld.run { world in
            let telemeterLink = try await world.link(world.alice)
            let monitorLink = try await world.link(world.bob)
            let telemeter = Telemeter(link: telemeterLink, initialInterval: 5, policy: IntervalPolicy(minimum: 1))
            try await telemeter.start()
            let interval = try await monitorLink.new(JSONCodec.self, state: 2.0, apiID: TelemeterAPI.interval)
            await telemeter.useInterval(IncomingShare(ghid: interval.ghid, origin: monitorLink.whoami, apiID: TelemeterAPI.interval))
            #expect(await telemeter.intervalSeconds == 5, "not paired yet")
            await telemeter.pair(with: monitorLink.whoami)
            #expect(await telemeter.intervalSeconds == 2)
            #expect(await telemeter.pairedFingerprint == monitorLink.whoami)
        }
    }
}
