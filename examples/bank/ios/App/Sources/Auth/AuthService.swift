import BankKit
import Foundation
import Observation

/// A step-up the API asked for, waiting for the customer to read why and continue (or not).
struct PendingStepUp: Identifiable {
    let id = UUID()
    let requirement: StepUpRequirement
    /// The reason in plain words, from ``StepUpRequirement/reason(acrDescriptions:)``.
    let reason: String
}

/// The signed-in session: sign-in and step-up through the browser sheet, tokens in the Keychain,
/// refresh before expiry. The API client reaches it through ``tokenProvider`` and ``stepUpAuthorizer``.
@MainActor
@Observable
final class AuthService {
    enum Phase: Equatable {
        case signedOut
        case signingIn
        case signedIn
    }

    private(set) var phase: Phase
    /// Set while the step-up explanation is on screen. The sheet's buttons call ``chooseStepUp(proceed:)``
    /// and its `onDismiss` calls ``stepUpSheetDismissed()``: the browser sheet opens only once the
    /// explanation is gone, as UIKit cannot present it while another sheet is being dismissed.
    var pendingStepUp: PendingStepUp?
    var lastError: String?

    @ObservationIgnored private var tokens: TokenSet?
    @ObservationIgnored private var client: OAuthClient?
    private let store: KeychainTokenStore
    private let browser: WebAuthenticator
    private let transport: HTTPTransport
    @ObservationIgnored private var refreshing: Task<TokenSet, Error>?
    @ObservationIgnored private var stepUpDecision: CheckedContinuation<Bool, Never>?
    @ObservationIgnored private var stepUpChoice = false

    init(store: KeychainTokenStore, transport: HTTPTransport) {
        let saved = store.load()
        self.store = store
        self.transport = transport
        browser = WebAuthenticator()
        tokens = saved
        phase = saved == nil ? .signedOut : .signedIn
    }

    static func live() -> AuthService {
        AuthService(store: KeychainTokenStore(service: AppConfig.keychainService), transport: URLSessionTransport())
    }

    var tokenProvider: AccessTokenProvider { TokenProvider(auth: self) }
    var stepUpAuthorizer: StepUpAuthorizer { StepUpHandler(auth: self) }

    func signIn() async {
        phase = .signingIn
        lastError = nil
        do {
            _ = try await authorize(for: nil)
            phase = .signedIn
        } catch {
            phase = .signedOut
            lastError = UserMessage.forError(error)
        }
    }

    func signOut() {
        tokens = nil
        store.clear()
        phase = .signedOut
    }

    func chooseStepUp(proceed: Bool) {
        stepUpChoice = proceed
        pendingStepUp = nil
    }

    func stepUpSheetDismissed() {
        let decision = stepUpDecision
        stepUpDecision = nil
        decision?.resume(returning: stepUpChoice)
    }

    /// A valid access token, refreshed first when it is about to expire. One refresh at a time.
    fileprivate func validAccessToken() async throws -> String {
        guard let current = tokens else { throw BankKitError.notSignedIn }
        if !current.isExpired(at: Date()) { return current.accessToken }
        if let refreshing { return try await refreshing.value.accessToken }
        let task = Task { try await self.oauthClient().refresh(current) }
        refreshing = task
        defer { refreshing = nil }
        do {
            let refreshed = try await task.value
            try keep(refreshed)
            return refreshed.accessToken
        } catch BankKitError.tokenRequestFailed(let status, let error, let description) {
            // The refresh token was refused (expired, revoked): a new sign-in is needed.
            signOut()
            throw BankKitError.tokenRequestFailed(status: status, error: error, description: description)
        }
    }

    /// Explains the step-up, waits for the customer, then runs a new authorization with the
    /// challenge's `acr_values` and `max_age` and returns the new access token.
    fileprivate func stepUp(for requirement: StepUpRequirement) async throws -> String {
        let reason = requirement.reason(acrDescriptions: AppConfig.acrDescriptions)
        // One step-up on screen at a time; a second concurrent request gives up rather than wait.
        guard stepUpDecision == nil else { throw BankKitError.authorizationCancelled }
        let proceed = await withCheckedContinuation { continuation in
            stepUpDecision = continuation
            stepUpChoice = false
            pendingStepUp = PendingStepUp(requirement: requirement, reason: reason)
        }
        guard proceed else { throw BankKitError.authorizationCancelled }
        return try await authorize(for: requirement).accessToken
    }

    private func authorize(for requirement: StepUpRequirement?) async throws -> TokenSet {
        let client = try await oauthClient()
        let pending = try client.startAuthorization(for: requirement)
        let callback = try await browser.authenticate(url: pending.url, callbackScheme: client.configuration.callbackScheme)
        let tokens = try await client.completeAuthorization(pending, callbackURL: callback)
        try keep(tokens)
        return tokens
    }

    private func keep(_ tokens: TokenSet) throws {
        self.tokens = tokens
        try store.save(tokens)
    }

    /// The OAuth client, from the issuer's discovery document (fetched once).
    private func oauthClient() async throws -> OAuthClient {
        if let client { return client }
        let metadata = try await ProviderMetadata.discover(issuer: AppConfig.issuer, transport: transport)
        let configuration = try OAuthConfiguration(
            metadata: metadata, clientID: AppConfig.clientID, redirectURI: AppConfig.redirectURI,
            scope: AppConfig.scope, resource: AppConfig.apiResource)
        let made = OAuthClient(configuration: configuration, transport: transport)
        client = made
        return made
    }
}

private struct TokenProvider: AccessTokenProvider {
    let auth: AuthService

    func accessToken() async throws -> String {
        try await auth.validAccessToken()
    }
}

private struct StepUpHandler: StepUpAuthorizer {
    let auth: AuthService

    func stepUp(for requirement: StepUpRequirement) async throws -> String {
        try await auth.stepUp(for: requirement)
    }
}
