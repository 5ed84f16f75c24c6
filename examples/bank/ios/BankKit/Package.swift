// swift-tools-version:5.9
// BankKit: everything in the bank's iOS client that is not UI. Apple system frameworks only
// (Foundation, and CryptoKit for SHA-256); no third-party dependencies.
import PackageDescription

let package = Package(
    name: "BankKit",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "BankKit", targets: ["BankKit"]),
    ],
    targets: [
        .target(name: "BankKit"),
        .testTarget(
            name: "BankKitTests",
            dependencies: ["BankKit"],
            // The shared vectors, also read by the TypeScript tests (../vectors is a link to this folder).
            resources: [.copy("Vectors")]
        ),
    ]
)
