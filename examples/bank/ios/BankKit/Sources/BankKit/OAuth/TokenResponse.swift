import Foundation

/// Tokens as the app keeps them (in the Keychain), with the expiry as an absolute time.
public struct TokenSet: Codable, Equatable, Sendable {
    public let accessToken: String
    public let refreshToken: String?
    public let idToken: String?
    public let scope: String?
    /// When the access token expires, from `expires_in` and the time the response arrived; nil if unknown.
    public let expiresAt: Date?

    public init(accessToken: String, refreshToken: String?, idToken: String?, scope: String?, expiresAt: Date?) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.idToken = idToken
        self.scope = scope
        self.expiresAt = expiresAt
    }

    /// Whether the access token expires within `leeway` seconds of `now`. Unknown expiry counts as valid:
    /// the API then answers `invalid_token` and the app refreshes.
    public func isExpired(at now: Date, leeway: TimeInterval = 30) -> Bool {
        guard let expiresAt else { return false }
        return now.addingTimeInterval(leeway) >= expiresAt
    }
}

/// The JSON of a successful token response (RFC 6749 §5.1).
struct TokenResponseBody: Decodable {
    let accessToken: String
    let tokenType: String
    let expiresIn: Int?
    let refreshToken: String?
    let idToken: String?
    let scope: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case idToken = "id_token"
        case scope
    }
}

/// The JSON of an OAuth error response (RFC 6749 §5.2).
struct OAuthErrorBody: Decodable {
    let error: String
    let errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }
}

/// Decodes a token endpoint response into a ``TokenSet`` (RFC 6749 §5.1, §5.2).
///
/// Checked: status 200, JSON with a non-empty `access_token`, `token_type` `Bearer` (case-insensitive,
/// RFC 6749 §7.1; DPoP-bound tokens are not supported by this client), a non-negative `expires_in`.
/// Not checked: the ID token (not verified or read: the app uses only the access token, which the API
/// verifies), the granted scope.
///
/// - Parameters:
///   - previous: on a refresh, the tokens being refreshed: a response without `refresh_token` keeps
///     the previous one (RFC 6749 §6).
/// - Throws: ``BankKitError/tokenRequestFailed(status:error:description:)`` or
///   ``BankKitError/tokenResponseInvalid(_:)``.
public func decodeTokenResponse(
    _ data: Data, status: Int, receivedAt: Date, previous: TokenSet? = nil
) throws -> TokenSet {
    guard status == 200 else {
        let body = try? JSONDecoder().decode(OAuthErrorBody.self, from: data)
        throw BankKitError.tokenRequestFailed(status: status, error: body?.error, description: body?.errorDescription)
    }
    let body: TokenResponseBody
    do {
        body = try JSONDecoder().decode(TokenResponseBody.self, from: data)
    } catch {
        throw BankKitError.tokenResponseInvalid("the body is not a token response")
    }
    guard !body.accessToken.isEmpty else {
        throw BankKitError.tokenResponseInvalid("access_token is empty")
    }
    guard body.tokenType.lowercased() == "bearer" else {
        throw BankKitError.tokenResponseInvalid("token_type \(body.tokenType) is not Bearer")
    }
    if let expiresIn = body.expiresIn, expiresIn < 0 {
        throw BankKitError.tokenResponseInvalid("expires_in is negative")
    }
    return TokenSet(
        accessToken: body.accessToken,
        refreshToken: body.refreshToken ?? previous?.refreshToken,
        idToken: body.idToken ?? previous?.idToken,
        scope: body.scope ?? previous?.scope,
        expiresAt: body.expiresIn.map { receivedAt.addingTimeInterval(TimeInterval($0)) }
    )
}
