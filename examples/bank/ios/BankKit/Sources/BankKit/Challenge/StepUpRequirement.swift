import Foundation

/// What the resource server asks for in an RFC 9470 step-up challenge: a Bearer challenge with
/// `error="insufficient_user_authentication"`, its `acr_values` (space-separated, any one of which is
/// acceptable, in order of preference) and `max_age` (seconds since the last active authentication).
///
/// It does not decide whether the user can meet the requirement: the authorization server does, when the
/// client sends `acr_values` and `max_age` back to it (RFC 9470 §4).
public struct StepUpRequirement: Equatable, Sendable {
    public let acrValues: [String]
    public let maxAge: Int?
    /// The server's `error_description`, meant for developers; show ``reason`` to people.
    public let errorDescription: String?

    public init(acrValues: [String] = [], maxAge: Int? = nil, errorDescription: String? = nil) {
        self.acrValues = acrValues
        self.maxAge = maxAge
        self.errorDescription = errorDescription
    }

    /// The step-up requirement of a challenge list, or nil when no Bearer challenge carries
    /// `insufficient_user_authentication` (RFC 9470 §3).
    ///
    /// ```swift
    /// let requirement = try StepUpRequirement(challenges: parseChallenges(header))
    /// requirement?.acrValues // ["urn:stepup:bank:acr:high"]
    /// ```
    ///
    /// - Throws: ``BankKitError/stepUpChallengeInvalid(_:)`` when `max_age` is not a non-negative
    ///   integer, or when the challenge asks for neither `acr_values` nor `max_age`.
    public init?(challenges: [Challenge]) throws {
        let found = challenges.first {
            $0.scheme == "bearer" && $0.params["error"] == "insufficient_user_authentication"
        }
        guard let challenge = found else { return nil }
        let acrValues = (challenge.params["acr_values"] ?? "")
            .split(separator: " ", omittingEmptySubsequences: true)
            .map(String.init)
        var maxAge: Int?
        if let raw = challenge.params["max_age"] {
            guard !raw.isEmpty, raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(raw) else {
                throw BankKitError.stepUpChallengeInvalid("max_age is not a non-negative integer")
            }
            maxAge = value
        }
        if acrValues.isEmpty && maxAge == nil {
            throw BankKitError.stepUpChallengeInvalid("neither acr_values nor max_age is present")
        }
        self.init(acrValues: acrValues, maxAge: maxAge, errorDescription: challenge.params["error_description"])
    }

    /// Reads the step-up requirement of a `WWW-Authenticate` header value.
    ///
    /// - Throws: ``BankKitError/challengeMalformed(_:offset:)`` or
    ///   ``BankKitError/stepUpChallengeInvalid(_:)``.
    public init?(header: String) throws {
        try self.init(challenges: parseChallenges(header))
    }
}
