import Foundation

/// An authorization in flight: the URL to open in the browser sheet, and what to check and send
/// when the redirect comes back. Keep it in memory only, for one attempt.
public struct PendingAuthorization: Equatable, Sendable {
    public let url: URL
    public let state: String
    public let nonce: String
    public let codeVerifier: String
    /// The step-up this authorization answers, if any.
    public let requirement: StepUpRequirement?
}

/// Authorization code flow with PKCE for a public native client (RFC 6749 §4.1, RFC 7636, RFC 8252),
/// and refresh (RFC 6749 §6). The browser part is the app's (`ASWebAuthenticationSession`); this type
/// builds the request, checks the redirect and talks to the token endpoint.
///
/// ```swift
/// let pending = try client.startAuthorization(for: requirement)   // requirement from a 401, or nil
/// let callback = try await browser.open(pending.url, callbackScheme: client.configuration.callbackScheme)
/// let tokens = try await client.completeAuthorization(pending, callbackURL: callback)
/// ```
///
/// Not done here: ID token validation (the app does not use the ID token), DPoP, PAR.
public struct OAuthClient: Sendable {
    public let configuration: OAuthConfiguration
    private let transport: HTTPTransport
    private let random: RandomSource
    private let now: @Sendable () -> Date

    public init(
        configuration: OAuthConfiguration, transport: HTTPTransport,
        random: RandomSource = SystemRandomSource(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.transport = transport
        self.random = random
        self.now = now
    }

    /// A new authorization request with fresh `state`, `nonce` and PKCE verifier. For a step-up, the
    /// requirement's `acr_values` and `max_age` go into the request (RFC 9470 §4).
    public func startAuthorization(for requirement: StepUpRequirement? = nil) throws -> PendingAuthorization {
        let pkce = try PKCE.generate(using: random)
        let state = randomURLSafeValue(using: random)
        let nonce = randomURLSafeValue(using: random)
        let request = AuthorizationRequest(
            authorizationEndpoint: configuration.authorizationEndpoint,
            clientID: configuration.clientID,
            redirectURI: configuration.redirectURI.absoluteString,
            scope: configuration.scope,
            state: state,
            nonce: nonce,
            codeChallenge: pkce.challenge,
            resource: configuration.resource,
            acrValues: requirement?.acrValues ?? [],
            maxAge: requirement?.maxAge
        )
        return PendingAuthorization(
            url: try request.url(), state: state, nonce: nonce, codeVerifier: pkce.verifier, requirement: requirement)
    }

    /// Checks the redirect and redeems its code at the token endpoint.
    public func completeAuthorization(_ pending: PendingAuthorization, callbackURL: URL) async throws -> TokenSet {
        let code = try authorizationCode(
            from: callbackURL, expectedState: pending.state, issuer: configuration.issuer,
            requireIssuer: configuration.requiresIssuerParameter)
        var form: [(String, String)] = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", configuration.redirectURI.absoluteString),
            ("client_id", configuration.clientID),
            ("code_verifier", pending.codeVerifier),
        ]
        if let resource = configuration.resource { form.append(("resource", resource)) }
        return try await tokenRequest(form, previous: nil)
    }

    /// Exchanges the refresh token for new tokens. The authentication they describe (`acr`,
    /// `auth_time`) stays that of the original sign-in; a refresh never performs a step-up.
    ///
    /// - Throws: ``BankKitError/notSignedIn`` without a refresh token.
    public func refresh(_ tokens: TokenSet) async throws -> TokenSet {
        guard let refreshToken = tokens.refreshToken else { throw BankKitError.notSignedIn }
        var form: [(String, String)] = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refreshToken),
            ("client_id", configuration.clientID),
        ]
        if let resource = configuration.resource { form.append(("resource", resource)) }
        return try await tokenRequest(form, previous: tokens)
    }

    private func tokenRequest(_ form: [(String, String)], previous: TokenSet?) async throws -> TokenSet {
        var request = URLRequest(url: configuration.tokenEndpoint)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.httpBody = Data(QueryEncoding.encode(form).utf8)
        let (data, response) = try await transport.send(request)
        return try decodeTokenResponse(data, status: response.statusCode, receivedAt: now(), previous: previous)
    }
}
