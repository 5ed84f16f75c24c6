import Foundation

/// The bank API (examples/bank/api) with RFC 9470 step-up built in.
///
/// When a request is answered 401 with a Bearer `insufficient_user_authentication` challenge, the
/// client hands the parsed ``StepUpRequirement`` to the ``StepUpAuthorizer`` (which explains it and
/// runs a new authorization with `acr_values` and `max_age`), then sends the **same** request once
/// more, with the new access token and the same `Idempotency-Key` and body. If the API still asks for
/// a step-up, it throws ``BankKitError/stepUpNotSatisfied(_:)``: it never loops.
///
/// ```swift
/// let api = BankAPIClient(baseURL: config.apiURL, transport: URLSessionTransport(), tokens: auth, stepUp: auth)
/// let receipt = try await api.transfer(draft, idempotencyKey: pendingTransfer.idempotencyKey)
/// ```
///
/// Not done here: refreshing on `invalid_token` (the ``AccessTokenProvider`` refreshes before expiry;
/// a token the API refuses is reported as ``BankKitError/unauthorized(error:)``).
public struct BankAPIClient: Sendable {
    private let baseURL: URL
    private let transport: HTTPTransport
    private let tokens: AccessTokenProvider
    private let stepUp: StepUpAuthorizer

    public init(baseURL: URL, transport: HTTPTransport, tokens: AccessTokenProvider, stepUp: StepUpAuthorizer) {
        self.baseURL = baseURL
        self.transport = transport
        self.tokens = tokens
        self.stepUp = stepUp
    }

    public func accounts() async throws -> [Account] {
        let data = try await send(APIRequest(method: "GET", path: "accounts"))
        return try decode(AccountList.self, from: data).accounts
    }

    public func transactions(accountID: String) async throws -> [Transaction] {
        let data = try await send(APIRequest(method: "GET", path: "accounts/\(accountID)/transactions"))
        return try decode(TransactionList.self, from: data).transactions
    }

    /// Sends a transfer. Pass the same `idempotencyKey` for every attempt of the same transfer.
    public func transfer(_ draft: TransferDraft, idempotencyKey: String) async throws -> TransferReceipt {
        let body = try JSONEncoder().encode(draft)
        let request = APIRequest(method: "POST", path: "transfers", body: body, idempotencyKey: idempotencyKey)
        let data = try await send(request)
        return try decode(TransferReceipt.self, from: data)
    }

    /// Sends a request; on a step-up challenge, steps up once and resends it once.
    func send(_ request: APIRequest) async throws -> Data {
        let token = try await tokens.accessToken()
        let (data, response) = try await transport.send(request.urlRequest(baseURL: baseURL, accessToken: token))
        guard let requirement = try stepUpRequirement(of: response) else {
            return try checked(data, response)
        }
        let steppedUpToken = try await stepUp.stepUp(for: requirement)
        let retry = request.urlRequest(baseURL: baseURL, accessToken: steppedUpToken)
        let (retryData, retryResponse) = try await transport.send(retry)
        if let again = try stepUpRequirement(of: retryResponse) {
            throw BankKitError.stepUpNotSatisfied(again)
        }
        return try checked(retryData, retryResponse)
    }

    private func stepUpRequirement(of response: HTTPURLResponse) throws -> StepUpRequirement? {
        guard response.statusCode == 401, let header = response.wwwAuthenticate else { return nil }
        return try StepUpRequirement(header: header)
    }

    private func checked(_ data: Data, _ response: HTTPURLResponse) throws -> Data {
        switch response.statusCode {
        case 200..<300:
            return data
        case 401:
            throw BankKitError.unauthorized(error: bearerError(of: response))
        case 403:
            throw BankKitError.forbidden(error: bearerError(of: response))
        default:
            let body = try? JSONDecoder().decode(APIErrorBody.self, from: data)
            throw BankKitError.apiError(status: response.statusCode, code: body?.code, message: body?.message)
        }
    }

    /// The Bearer challenge's `error`, for reporting only (a malformed header gives nil).
    private func bearerError(of response: HTTPURLResponse) -> String? {
        guard let header = response.wwwAuthenticate, let challenges = try? parseChallenges(header) else { return nil }
        return challenges.first { $0.scheme == "bearer" }?.params["error"]
    }

    private func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder.bankAPI.decode(type, from: data)
        } catch {
            throw BankKitError.responseInvalid("the API's answer is not a \(type)")
        }
    }
}

/// One API request, built the same way for the first attempt and the retry.
struct APIRequest: Sendable {
    let method: String
    let path: String
    var body: Data?
    var idempotencyKey: String?

    func urlRequest(baseURL: URL, accessToken: String) -> URLRequest {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("Bearer \(accessToken)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let idempotencyKey {
            request.setValue(idempotencyKey, forHTTPHeaderField: "Idempotency-Key")
        }
        return request
    }
}
