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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
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
        .executableTarget(
            name: "hypergolix",
            dependencies: [
                "Golix",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "hgx-bench",
            dependencies: ["Golix"]
        ),
        .testTarget(
            name: "GolixTests",
            dependencies: [
                "Golix",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
    ]
)

// MARK: - Server mesh and the talker (issue 6)
// Kept in one appended block so that it merges without touching the entries above.
// Mesh is a library of its own (persistence servers will federate over it); TalkerServer
// is the chat logic on top of it, `talker` the thin executable, `mesh-bench` the benchmark.
package.dependencies += [
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
]
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
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]
    ),
]
