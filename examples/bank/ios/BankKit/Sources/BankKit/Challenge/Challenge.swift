import Foundation

/// One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1): an auth scheme with either
/// auth-params or a token68.
///
/// `scheme` and the parameter names are lower-cased by the parser (both are case-insensitive,
/// RFC 9110 §11.1 and §11.2); values are kept exactly as sent, unescaped.
///
/// ```swift
/// let challenges = try parseChallenges(#"Bearer error="insufficient_user_authentication", max_age="300""#)
/// challenges[0].params["max_age"] // "300"
/// ```
public struct Challenge: Equatable, Sendable {
    /// The auth scheme, lower-cased (`"bearer"`, `"dpop"`, …).
    public let scheme: String
    /// The auth-params, names lower-cased. Empty when the challenge carries a token68 or nothing.
    public let params: [String: String]
    /// The token68, when the challenge carries one instead of auth-params.
    public let token68: String?

    public init(scheme: String, params: [String: String] = [:], token68: String? = nil) {
        self.scheme = scheme
        self.params = params
        self.token68 = token68
    }
}

/// Why a `WWW-Authenticate` header could not be parsed. The offset is in UTF-8 bytes from the start.
public enum ChallengeMalformation: Equatable, Sendable {
    case expectedScheme
    case expectedSpaceAfterScheme
    case expectedParameterName
    case expectedEquals
    case expectedValue
    case expectedComma
    case duplicateParameter(String)
    case unterminatedQuotedString
    case controlCharacter
}
