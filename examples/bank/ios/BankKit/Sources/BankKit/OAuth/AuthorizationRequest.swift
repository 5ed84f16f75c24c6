import Foundation

/// The parameters of an authorization code request with PKCE (RFC 6749 §4.1.1, RFC 7636 §4.3,
/// OpenID Connect Core §3.1.2.1), and for a step-up the `acr_values` and `max_age` the resource server
/// asked for (RFC 9470 §4).
///
/// ```swift
/// let url = try AuthorizationRequest(
///     authorizationEndpoint: URL(string: "http://localhost:4000/auth")!, clientID: "bank-ios",
///     redirectURI: "bank.stepup.example:/oauth/callback", scope: "openid offline_access",
///     state: state, nonce: nonce, codeChallenge: pkce.challenge
/// ).url()
/// ```
///
/// It builds the URL only; it does not check that the endpoint belongs to the issuer (discovery does).
public struct AuthorizationRequest: Equatable, Sendable {
    public var authorizationEndpoint: URL
    public var clientID: String
    public var redirectURI: String
    public var scope: String
    public var state: String
    public var nonce: String
    public var codeChallenge: String
    /// RFC 8707 resource indicator: the API the access token is for.
    public var resource: String?
    public var acrValues: [String]
    public var maxAge: Int?

    public init(
        authorizationEndpoint: URL, clientID: String, redirectURI: String, scope: String,
        state: String, nonce: String, codeChallenge: String, resource: String? = nil,
        acrValues: [String] = [], maxAge: Int? = nil
    ) {
        self.authorizationEndpoint = authorizationEndpoint
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        self.state = state
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.resource = resource
        self.acrValues = acrValues
        self.maxAge = maxAge
    }

    /// The query pairs, in the order they are written.
    public var queryPairs: [(String, String)] {
        var pairs: [(String, String)] = [
            ("response_type", "code"),
            ("client_id", clientID),
            ("redirect_uri", redirectURI),
            ("scope", scope),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", codeChallenge),
            ("code_challenge_method", PKCE.method),
        ]
        if let resource { pairs.append(("resource", resource)) }
        if !acrValues.isEmpty { pairs.append(("acr_values", acrValues.joined(separator: " "))) }
        if let maxAge { pairs.append(("max_age", String(maxAge))) }
        return pairs
    }

    /// The authorization URL. A query already on the endpoint is kept, and these parameters follow it.
    ///
    /// - Throws: ``BankKitError/configurationInvalid(_:)`` if the endpoint cannot take a query.
    public func url() throws -> URL {
        guard var components = URLComponents(url: authorizationEndpoint, resolvingAgainstBaseURL: false) else {
            throw BankKitError.configurationInvalid("authorization endpoint is not a valid URL")
        }
        var query = QueryEncoding.encode(queryPairs)
        if let existing = components.percentEncodedQuery, !existing.isEmpty {
            query = existing + "&" + query
        }
        components.percentEncodedQuery = query
        guard let url = components.url else {
            throw BankKitError.configurationInvalid("authorization endpoint is not a valid URL")
        }
        return url
    }
}
