// swift-tools-version: 6.1
import PackageDescription

// Dependencies point one way: Golix (codecs + crypto, no I/O) at the bottom,
// the persistence rules engine over a storage protocol above it, servers,
// daemon and CLI at the edges. docs/architecture.md describes each target.
let package = Package(
    name: "Hypergolix",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Golix", targets: ["Golix"]),
        .executable(name: "hypergolix", targets: ["hypergolix"]),
        // HGX: the Swift integration library for applications, and its demos (issue 5).
        .library(name: "HGX", targets: ["HGX"]),
        .library(name: "HGXDemos", targets: ["HGXDemos"]),
        .executable(name: "hgx-echo", targets: ["hgx-echo"]),
        .executable(name: "telemeter", targets: ["telemeter"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // The system libcrypto, for the one primitive swift-crypto lacks: RSA-OAEP with SHA-512.
        .systemLibrary(
            name: "CLibcrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "Golix",
            dependencies: [
                "CLibcrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The persistence rules (acceptance, retention, GC, push decisions) over a storage protocol, with
        // in-memory and SQLite stores. Shared by the server and every daemon's local cache.
        .target(
            name: "Persistence",
            dependencies: [
                "Golix",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The 0.1.0 framing, request codes and error tables, and a request/response multiplexer over any
        // transport (with the WebSocket one).
        .target(
            name: "HypergolixWire",
            dependencies: [
                "Golix",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
            ]
        ),
        // The persistence server: WebSocket listener, sessions, subscriptions and pushes, health check.
        .target(
            name: "HypergolixServer",
            dependencies: [
                "Golix",
                "Persistence",
                "HypergolixWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The per-user daemon: account, local store, remotes, sharing, IPC server for apps.
        .target(
            name: "HypergolixDaemon",
            dependencies: [
                "Golix",
                "Persistence",
                "HypergolixWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "hypergolix",
            dependencies: [
                "Golix",
                "HypergolixServer",
                "HypergolixDaemon",
                "HGX",
                "HGXDemos",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "hgx-bench",
            dependencies: [
                "Golix",
                "HypergolixWire",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "GolixTests",
            dependencies: [
                "Golix",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "HypergolixServer", "HypergolixWire", "Persistence", "Golix", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "HypergolixDaemon", "HypergolixServer", "HypergolixWire", "Persistence", "Golix", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "PersistenceTests",
            dependencies: ["Persistence", "Golix", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        // Helpers shared by the test targets: subprocesses, scratch directories, the interop toolkit.
        .target(
            name: "TestSupport",
            dependencies: ["Golix", "HypergolixWire", "HypergolixServer", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport"
        ),
        // Drive the built `hypergolix` executable as a user would.
        .testTarget(
            name: "CLITests",
            dependencies: ["Golix", "TestSupport"]
        ),
        // Against the original Python Hypergolix (../shared/interop): run in CI, skipped elsewhere without it.
        .testTarget(
            name: "InteropTests",
            dependencies: ["Golix", "HypergolixWire", "TestSupport"]
        ),

        // MARK: HGX (issue 5)
        // The app-side integration library: talks to the local daemon over the IPC protocol (HYPERGOLIX-0.1-WIRE §3).
        .target(
            name: "HGX",
            dependencies: [
                "Golix",
                "HypergolixWire",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The seed demos' logic (echo, telemeter) as a library, so other commands can run them.
        .target(
            name: "HGXDemos",
            dependencies: [
                "HGX",
                "Golix",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "hgx-echo",
            dependencies: [
                "HGX",
                "HGXDemos",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "telemeter",
            dependencies: [
                "HGX",
                "HGXDemos",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Library tests against an in-process fake daemon, and against the original daemons when the interop
        // toolkit is present.
        .testTarget(
            name: "HGXTests",
            dependencies: [
                "HGX",
                "HGXDemos",
                "Golix",
                "HypergolixWire",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Python"]
        ),
    ]
)

// MARK: - Server mesh and the talker (issue 6)
// Kept in one appended block so that it merges without touching the entries above.
// Mesh is a library of its own (persistence servers will federate over it); TalkerServer
// is the chat logic on top of it, `talker` the thin executable, `mesh-bench` the benchmark.
package.products += [
    .library(name: "Mesh", targets: ["Mesh"]),
    .executable(name: "talker", targets: ["talker"]),
]
package.targets += [
    .target(
        name: "Mesh",
        dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    .target(
        name: "TalkerServer",
        dependencies: [
            "Mesh",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    .executableTarget(
        name: "talker",
        dependencies: [
            "TalkerServer",
            "Mesh",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    .executableTarget(
        name: "mesh-bench",
        dependencies: [
            "TalkerServer",
            "Mesh",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]
    ),
    .testTarget(
        name: "MeshTests",
        dependencies: [
            "Mesh",
            "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]
    ),
    .testTarget(
        name: "TalkerTests",
        dependencies: [
            "TalkerServer",
            "Mesh",
            "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]
    ),
]
