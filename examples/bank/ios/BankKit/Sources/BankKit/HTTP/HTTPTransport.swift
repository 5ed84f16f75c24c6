import Foundation

/// Sends one HTTP request. BankKit reaches the network only through this, so tests inject a stub and
/// the app injects ``URLSessionTransport``.
public protocol HTTPTransport: Sendable {
    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse)
}

/// ``HTTPTransport`` over a `URLSession`.
public struct URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init(session: URLSession = .shared) {
        self.session = session
    }

    public func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else {
            throw BankKitError.responseInvalid("not an HTTP response")
        }
        return (data, http)
    }
}

extension HTTPURLResponse {
    /// The `WWW-Authenticate` header, or nil. Header names are case-insensitive (`value(forHTTPHeaderField:)`).
    var wwwAuthenticate: String? {
        value(forHTTPHeaderField: "WWW-Authenticate")
    }
}
