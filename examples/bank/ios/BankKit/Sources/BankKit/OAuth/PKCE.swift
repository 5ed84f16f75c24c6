import CryptoKit
import Foundation

/// A PKCE pair for the S256 method (RFC 7636): the verifier stays on the device, the challenge goes
/// in the authorization request, and the verifier goes to the token endpoint with the code.
///
/// ```swift
/// let pkce = try PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
/// pkce.challenge // "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" (RFC 7636 Appendix B)
/// ```
///
/// Only S256: the `plain` method is not offered (RFC 7636 §4.2 allows it only when S256 cannot be used).
public struct PKCE: Equatable, Sendable {
    public static let method = "S256"

    public let verifier: String
    public let challenge: String

    /// - Throws: ``BankKitError/pkceVerifierInvalid`` unless the verifier is 43 to 128 characters of
    ///   `ALPHA / DIGIT / "-" / "." / "_" / "~"` (RFC 7636 §4.1).
    public init(verifier: String) throws {
        let bytes = Array(verifier.utf8)
        let allowed = bytes.allSatisfy {
            HTTPGrammar.isAlphaNumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "~")
        }
        guard (43...128).contains(bytes.count), allowed else {
            throw BankKitError.pkceVerifierInvalid
        }
        self.verifier = verifier
        self.challenge = Base64URL.encode(SHA256.hash(data: Data(bytes)))
    }

    /// The verifier RFC 7636 §4.1 recommends: 32 random octets, base64url-encoded (43 characters).
    public init(octets: [UInt8]) throws {
        try self.init(verifier: Base64URL.encode(octets))
    }

    /// A fresh pair from 32 octets of `random`.
    ///
    /// - Throws: ``BankKitError/pkceVerifierInvalid`` only if `random` returns fewer octets than asked.
    public static func generate(using random: RandomSource = SystemRandomSource()) throws -> PKCE {
        try PKCE(octets: random.bytes(count: 32))
    }
}
