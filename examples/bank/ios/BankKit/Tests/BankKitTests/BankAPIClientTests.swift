import XCTest
@testable import BankKit

final class BankAPIClientTests: XCTestCase {
    private let stepUpHeader = #"Bearer realm="bank", error="insufficient_user_authentication", "#
        + #"error_description="Transfers over 1,000 need a security key", acr_values="urn:stepup:bank:acr:high", max_age="300""#
    private let draft = TransferDraft(fromAccountId: "acc-1", toAccountId: "acc-2", amount: 500_000, description: "Rent")
    private let receipt = #"{"id":"tr-1","status":"completed"}"#

    private func client(_ transport: StubTransport, _ stepUp: StubStepUp) -> BankAPIClient {
        BankAPIClient(
            baseURL: URL(string: "http://localhost:4001")!, transport: transport, tokens: StubTokens("standard-token"),
            stepUp: stepUp)
    }

    func testATransferThatNeedsNoStepUp() async throws {
        let transport = StubTransport([.init(status: 201, json: receipt)])
        let stepUp = StubStepUp(.success("unused"))

        let result = try await client(transport, stepUp).transfer(draft, idempotencyKey: "key-1")

        XCTAssertEqual(result, TransferReceipt(id: "tr-1", status: "completed"))
        XCTAssertTrue(stepUp.requirements.isEmpty)
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.url?.absoluteString, "http://localhost:4001/transfers")
        XCTAssertEqual(request.httpMethod, "POST")
        XCTAssertEqual(request.value(forHTTPHeaderField: "Authorization"), "Bearer standard-token")
        XCTAssertEqual(request.value(forHTTPHeaderField: "Idempotency-Key"), "key-1")
        XCTAssertEqual(request.value(forHTTPHeaderField: "Content-Type"), "application/json")
        XCTAssertEqual(try JSONDecoder().decode(TransferDraft.self, from: XCTUnwrap(request.bodyBytes)), draft)
    }

    func testAStepUpChallengeStepsUpOnceAndRetriesWithTheSameIdempotencyKey() async throws {
        let transport = StubTransport([
            .init(status: 401, headers: ["WWW-Authenticate": stepUpHeader], json: #"{"code":"ERR_ACR_INSUFFICIENT"}"#),
            .init(status: 201, json: receipt),
        ])
        let stepUp = StubStepUp(.success("high-token"))

        let result = try await client(transport, stepUp).transfer(draft, idempotencyKey: "key-1")

        XCTAssertEqual(result.id, "tr-1")
        XCTAssertEqual(stepUp.requirements, [StepUpRequirement(
            acrValues: ["urn:stepup:bank:acr:high"], maxAge: 300, errorDescription: "Transfers over 1,000 need a security key")])
        let requests = transport.requests
        XCTAssertEqual(requests.count, 2)
        XCTAssertEqual(requests.map { $0.value(forHTTPHeaderField: "Authorization") }, ["Bearer standard-token", "Bearer high-token"])
        XCTAssertEqual(requests.map { $0.value(forHTTPHeaderField: "Idempotency-Key") }, ["key-1", "key-1"])
        XCTAssertEqual(requests[0].url, requests[1].url)
        XCTAssertEqual(requests[0].httpMethod, requests[1].httpMethod)
        XCTAssertEqual(requests[0].bodyBytes, requests[1].bodyBytes)
    }

    func testASecondChallengeIsReportedNotRetried() async throws {
        let transport = StubTransport([
            .init(status: 401, headers: ["WWW-Authenticate": stepUpHeader]),
            .init(status: 401, headers: ["WWW-Authenticate": stepUpHeader]),
            .init(status: 201, json: receipt),
        ])
        let stepUp = StubStepUp(.success("still-standard-token"))

        await assertThrows(.stepUpNotSatisfied(StepUpRequirement(
            acrValues: ["urn:stepup:bank:acr:high"], maxAge: 300, errorDescription: "Transfers over 1,000 need a security key"))) {
            _ = try await self.client(transport, stepUp).transfer(self.draft, idempotencyKey: "key-1")
        }
        XCTAssertEqual(stepUp.requirements.count, 1)
        XCTAssertEqual(transport.requests.count, 2)
    }

    func testADeclinedStepUpSendsNothingMore() async throws {
        let transport = StubTransport([.init(status: 401, headers: ["WWW-Authenticate": stepUpHeader])])
        let stepUp = StubStepUp(.failure(BankKitError.authorizationCancelled))

        await assertThrows(.authorizationCancelled) {
            _ = try await self.client(transport, stepUp).transfer(self.draft, idempotencyKey: "key-1")
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testOtherRefusalsAreNotStepUps() async throws {
        let cases: [(StubTransport.Reply, BankKitError)] = [
            (.init(status: 401, headers: ["WWW-Authenticate": #"Bearer realm="bank", error="invalid_token""#]),
             .unauthorized(error: "invalid_token")),
            (.init(status: 401, headers: ["WWW-Authenticate": #"Bearer realm="bank""#]), .unauthorized(error: nil)),
            (.init(status: 403, headers: ["WWW-Authenticate": #"Bearer error="insufficient_scope", scope="transfers""#]),
             .forbidden(error: "insufficient_scope")),
            (.init(status: 401, headers: ["WWW-Authenticate": #"Bearer error="insufficient_user_authentication"#]),
             .challengeMalformed(.unterminatedQuotedString, offset: 13)),
            (.init(status: 422, json: #"{"code":"ERR_INSUFFICIENT_FUNDS","message":"Not enough money"}"#),
             .apiError(status: 422, code: "ERR_INSUFFICIENT_FUNDS", message: "Not enough money")),
            (.init(status: 500, json: "<html>"), .apiError(status: 500, code: nil, message: nil)),
        ]
        for (reply, expected) in cases {
            let transport = StubTransport([reply])
            let stepUp = StubStepUp(.success("unused"))
            await assertThrows(expected) {
                _ = try await self.client(transport, stepUp).transfer(self.draft, idempotencyKey: "key-1")
            }
            XCTAssertTrue(stepUp.requirements.isEmpty, "\(expected)")
            XCTAssertEqual(transport.requests.count, 1, "\(expected)")
        }
    }

    func testAccountsAndTransactions() async throws {
        let transport = StubTransport([
            .init(status: 200, json: #"{"accounts":[{"id":"acc-1","name":"Current","currency":"EUR","balance":123456}]}"#),
            .init(status: 200, json: #"{"transactions":[{"id":"t1","amount":-5000,"description":"Coffee","createdAt":"2026-01-02T03:04:05.678Z"},"#
                + #"{"id":"t2","amount":250000,"description":"Salary","createdAt":"2026-01-01T00:00:00Z"}]}"#),
        ])
        let api = client(transport, StubStepUp(.success("unused")))

        let accounts = try await api.accounts()
        let history = try await api.transactions(accountID: "acc-1")

        XCTAssertEqual(accounts, [Account(id: "acc-1", name: "Current", currency: "EUR", balance: 123_456)])
        XCTAssertEqual(history.map(\.amount), [-5000, 250_000])
        XCTAssertEqual(history[0].createdAt.timeIntervalSince1970, 1_767_323_045.678, accuracy: 0.001)
        XCTAssertEqual(history[1].createdAt.timeIntervalSince1970, 1_767_225_600)
        XCTAssertEqual(transport.requests.map { $0.url?.absoluteString }, [
            "http://localhost:4001/accounts", "http://localhost:4001/accounts/acc-1/transactions",
        ])
        XCTAssertNil(transport.requests[0].value(forHTTPHeaderField: "Idempotency-Key"))
    }

    func testAnUnexpectedBodyIsReported() async throws {
        let transport = StubTransport([.init(status: 200, json: #"[{"id":"acc-1"}]"#)])
        do {
            _ = try await client(transport, StubStepUp(.success("unused"))).accounts()
            XCTFail("expected responseInvalid")
        } catch {
            XCTAssertEqual((error as? BankKitError)?.code, "ERR_RESPONSE_INVALID")
        }
    }

    private func assertThrows(
        _ expected: BankKitError, file: StaticString = #filePath, line: UInt = #line,
        _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            XCTFail("expected \(expected)", file: file, line: line)
        } catch {
            XCTAssertEqual(error as? BankKitError, expected, file: file, line: line)
        }
    }
}
