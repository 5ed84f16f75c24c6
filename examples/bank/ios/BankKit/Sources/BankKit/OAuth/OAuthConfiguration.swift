import Foundation

/// A public native client of one authorization server (RFC 8252): where to send the user, where to
/// redeem the code, and who the client is. Checked when made, so a typo fails at launch.
public struct OAuthConfiguration: Equatable, Sendable {
    public let issuer: URL
    public let authorizationEndpoint: URL
    public let tokenEndpoint: URL
    public let clientID: String
    /// A private-use URI scheme redirect (RFC 8252 §7.1), e.g. `bank.stepup.example:/oauth/callback`.
    public let redirectURI: URL
    public let scope: String
    /// RFC 8707 resource indicator for the API, sent in the authorization and token requests.
    public let resource: String?
    /// Whether the redirect must carry `iss` (RFC 9207); discovery turns it on when the server says so.
    public let requiresIssuerParameter: Bool

    /// - Throws: ``BankKitError/configurationInvalid(_:)`` for an empty client id or scope, a redirect
    ///   without a custom scheme, or an endpoint that is not http(s).
    public init(
        issuer: URL, authorizationEndpoint: URL, tokenEndpoint: URL, clientID: String, redirectURI: URL,
        scope: String, resource: String? = nil, requiresIssuerParameter: Bool = false
    ) throws {
        guard !clientID.isEmpty else { throw BankKitError.configurationInvalid("clientID is empty") }
        guard !scope.isEmpty else { throw BankKitError.configurationInvalid("scope is empty") }
        for endpoint in [issuer, authorizationEndpoint, tokenEndpoint] {
            guard let scheme = endpoint.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
                throw BankKitError.configurationInvalid("\(endpoint) is not an http(s) URL")
            }
        }
        guard let scheme = redirectURI.scheme, scheme.contains("."), scheme != "http", scheme != "https" else {
            throw BankKitError.configurationInvalid("redirectURI needs a reverse-domain custom scheme (RFC 8252 §7.1)")
        }
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        self.resource = resource
        self.requiresIssuerParameter = requiresIssuerParameter
    }

    /// The redirect's scheme, for `ASWebAuthenticationSession`'s callback.
    public var callbackScheme: String {
        redirectURI.scheme ?? ""
    }
}
