import Foundation

/// Where PKCE verifiers, `state` and `nonce` get their randomness. Injected so tests are repeatable.
public protocol RandomSource: Sendable {
    func bytes(count: Int) -> [UInt8]
}

/// The system's cryptographically secure generator (`SystemRandomNumberGenerator`, which Apple
/// platforms back with the kernel CSPRNG).
public struct SystemRandomSource: RandomSource {
    public init() {}

    public func bytes(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: UInt8.min...UInt8.max, using: &generator) }
    }
}

/// A random URL-safe value for `state` and `nonce`: 32 octets, base64url (256 bits).
public func randomURLSafeValue(using random: RandomSource) -> String {
    Base64URL.encode(random.bytes(count: 32))
}
