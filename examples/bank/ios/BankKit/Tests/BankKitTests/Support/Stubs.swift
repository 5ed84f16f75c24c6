import Foundation
@testable import BankKit

/// A transport that answers from a script and records what it was sent. No network.
final class StubTransport: HTTPTransport, @unchecked Sendable {
    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data

        init(status: Int, headers: [String: String] = [:], json: String = "") {
            self.status = status
            self.headers = headers
            self.body = Data(json.utf8)
        }
    }

    private let lock = NSLock()
    private var replies: [Reply]
    private var sent: [URLRequest] = []

    init(_ replies: [Reply]) {
        self.replies = replies
    }

    var requests: [URLRequest] {
        lock.withLock { sent }
    }

    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let next: Reply? = lock.withLock {
            sent.append(request)
            return replies.isEmpty ? nil : replies.removeFirst()
        }
        guard let reply = next else { throw URLError(.resourceUnavailable) }
        let url = request.url ?? URL(string: "http://localhost/")!
        let response = HTTPURLResponse(url: url, statusCode: reply.status, httpVersion: "HTTP/1.1", headerFields: reply.headers)!
        return (reply.body, response)
    }
}

/// Random bytes from a script: each call takes the next array, or counts up from `fill` when none is left.
final class ScriptedRandom: RandomSource, @unchecked Sendable {
    private let lock = NSLock()
    private var script: [[UInt8]]
    private var fill: UInt8 = 0

    init(_ script: [[UInt8]] = []) {
        self.script = script
    }

    func bytes(count: Int) -> [UInt8] {
        lock.withLock {
            if !script.isEmpty { return script.removeFirst() }
            fill &+= 1
            return Array(repeating: fill, count: count)
        }
    }
}

final class StubTokens: AccessTokenProvider, @unchecked Sendable {
    let token: String

    init(_ token: String) {
        self.token = token
    }

    func accessToken() async throws -> String {
        token
    }
}

/// Records each step-up it is asked for and answers with a new token, or with an error.
final class StubStepUp: StepUpAuthorizer, @unchecked Sendable {
    private let lock = NSLock()
    private var asked: [StepUpRequirement] = []
    private let result: Result<String, Error>

    init(_ result: Result<String, Error>) {
        self.result = result
    }

    var requirements: [StepUpRequirement] {
        lock.withLock { asked }
    }

    func stepUp(for requirement: StepUpRequirement) async throws -> String {
        lock.withLock { asked.append(requirement) }
        return try result.get()
    }
}

extension URLRequest {
    /// The body, whether set as data or (as URLSession does for URLProtocol) as a stream.
    var bodyBytes: Data? {
        if let httpBody { return httpBody }
        guard let stream = httpBodyStream else { return nil }
        stream.open()
        defer { stream.close() }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while stream.hasBytesAvailable {
            let read = stream.read(&buffer, maxLength: buffer.count)
            if read <= 0 { break }
            data.append(buffer, count: read)
        }
        return data
    }
}
