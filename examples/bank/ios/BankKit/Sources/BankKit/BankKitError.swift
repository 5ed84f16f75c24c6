import Foundation

/// Every error BankKit throws. Match on the case or on ``code`` (stable), never on text.
public enum BankKitError: Error, Equatable, Sendable {
    /// A `WWW-Authenticate` header that is not valid RFC 9110 syntax.
    case challengeMalformed(ChallengeMalformation, offset: Int)
    /// An `insufficient_user_authentication` challenge whose parameters cannot be used.
    case stepUpChallengeInvalid(String)
    /// A PKCE code verifier outside RFC 7636 §4.1 (43 to 128 unreserved characters).
    case pkceVerifierInvalid
    /// A configuration value that cannot work (checked when the configuration is made).
    case configurationInvalid(String)
    /// The redirect's `state` is not the one this client sent (RFC 6749 §10.12).
    case authorizationStateMismatch
    /// The redirect's `iss` is missing or not the configured issuer (RFC 9207).
    case authorizationIssuerMismatch
    /// The authorization server answered with an error, e.g. `access_denied` or
    /// `unmet_authentication_requirements` (the user has no authenticator of the requested level).
    case authorizationFailed(error: String, description: String?)
    /// A redirect or discovery document without what it must carry.
    case authorizationResponseInvalid(String)
    /// The user closed the sign-in sheet or declined the step-up.
    case authorizationCancelled
    /// The token endpoint answered with an OAuth error (RFC 6749 §5.2) or a non-JSON failure.
    case tokenRequestFailed(status: Int, error: String?, description: String?)
    /// A token response that is not RFC 6749 §5.1 JSON with a Bearer access token.
    case tokenResponseInvalid(String)
    /// No usable tokens: the user must sign in.
    case notSignedIn
    /// The API refused the access token itself (401 without a step-up challenge), e.g. `invalid_token`.
    case unauthorized(error: String?)
    /// The token lacks a scope (403 `insufficient_scope`).
    case forbidden(error: String?)
    /// The request was retried after a step-up and the API still asked for one. Not retried again.
    case stepUpNotSatisfied(StepUpRequirement)
    /// The API answered with another error status; `code` is its JSON error code when it sent one.
    case apiError(status: Int, code: String?, message: String?)
    /// A response body that does not decode into the expected shape.
    case responseInvalid(String)

    /// A stable identifier for the case, e.g. `ERR_STEP_UP_NOT_SATISFIED`.
    public var code: String {
        switch self {
        case .challengeMalformed: return "ERR_CHALLENGE_MALFORMED"
        case .stepUpChallengeInvalid: return "ERR_STEP_UP_CHALLENGE_INVALID"
        case .pkceVerifierInvalid: return "ERR_PKCE_VERIFIER_INVALID"
        case .configurationInvalid: return "ERR_CONFIGURATION_INVALID"
        case .authorizationStateMismatch: return "ERR_AUTHORIZATION_STATE_MISMATCH"
        case .authorizationIssuerMismatch: return "ERR_AUTHORIZATION_ISSUER_MISMATCH"
        case .authorizationFailed: return "ERR_AUTHORIZATION_FAILED"
        case .authorizationResponseInvalid: return "ERR_AUTHORIZATION_RESPONSE_INVALID"
        case .authorizationCancelled: return "ERR_AUTHORIZATION_CANCELLED"
        case .tokenRequestFailed: return "ERR_TOKEN_REQUEST_FAILED"
        case .tokenResponseInvalid: return "ERR_TOKEN_RESPONSE_INVALID"
        case .notSignedIn: return "ERR_NOT_SIGNED_IN"
        case .unauthorized: return "ERR_UNAUTHORIZED"
        case .forbidden: return "ERR_FORBIDDEN"
        case .stepUpNotSatisfied: return "ERR_STEP_UP_NOT_SATISFIED"
        case .apiError: return "ERR_API"
        case .responseInvalid: return "ERR_RESPONSE_INVALID"
        }
    }
}
