import XCTest
@testable import BankKit

/// Answers every request of a session configured with it, without a network.
final class StubURLProtocol: URLProtocol {
    typealias Handler = @Sendable (URLRequest) -> (Int, [String: String], Data)
    private static let lock = NSLock()
    private static var storedHandler: Handler?

    static var handler: Handler? {
        get { lock.withLock { storedHandler } }
        set { lock.withLock { storedHandler = newValue } }
    }

    override class func canInit(with request: URLRequest) -> Bool { true }

    override class func canonicalRequest(for request: URLRequest) -> URLRequest { request }

    override func startLoading() {
        guard let handler = Self.handler, let url = request.url else {
            client?.urlProtocol(self, didFailWithError: URLError(.badServerResponse))
            return
        }
        let (status, headers, body) = handler(request)
        let response = HTTPURLResponse(url: url, statusCode: status, httpVersion: "HTTP/1.1", headerFields: headers)!
        client?.urlProtocol(self, didReceive: response, cacheStoragePolicy: .notAllowed)
        client?.urlProtocol(self, didLoad: body)
        client?.urlProtocolDidFinishLoading(self)
    }

    override func stopLoading() {}
}

final class URLSessionTransportTests: XCTestCase {
    override func tearDown() {
        StubURLProtocol.handler = nil
        super.tearDown()
    }

    func testTheStepUpChallengeSurvivesURLSession() async throws {
        let header = #"Bearer error="insufficient_user_authentication", acr_values="urn:stepup:bank:acr:high", max_age="300""#
        StubURLProtocol.handler = { request in
            XCTAssertEqual(request.value(forHTTPHeaderField: "Idempotency-Key"), "key-1")
            return (401, ["WWW-Authenticate": header, "Content-Type": "application/json"], Data("{}".utf8))
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.protocolClasses = [StubURLProtocol.self]
        let transport = URLSessionTransport(session: URLSession(configuration: configuration))
        var request = URLRequest(url: URL(string: "http://localhost:4001/transfers")!)
        request.setValue("key-1", forHTTPHeaderField: "Idempotency-Key")

        let (_, response) = try await transport.send(request)

        XCTAssertEqual(response.statusCode, 401)
        let requirement = try XCTUnwrap(StepUpRequirement(header: XCTUnwrap(response.wwwAuthenticate)))
        XCTAssertEqual(requirement.acrValues, ["urn:stepup:bank:acr:high"])
        XCTAssertEqual(requirement.maxAge, 300)
    }
}
