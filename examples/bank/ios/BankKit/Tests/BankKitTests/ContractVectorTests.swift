import XCTest
@testable import BankKit

/// BankKit's models against the bank's contract: the API's sample answers decode, drafts encode as the
/// API's schema reads them, error bodies decode, and the level words explain the step-up the API sends.
final class ContractVectorTests: XCTestCase {
    private func objects(_ value: Any) throws -> [[String: Any]] {
        try XCTUnwrap(value as? [[String: Any]])
    }

    func testAccountsDecode() throws {
        let list = try JSONDecoder.bankAPI.decode(AccountList.self, from: ContractVectors.json("responses", "accounts"))
        let raw = try objects(ContractVectors.value("responses", "accounts", "accounts"))
        XCTAssertFalse(raw.isEmpty)
        XCTAssertEqual(list.accounts.map(\.id), raw.map { $0["id"] as? String })
        XCTAssertEqual(list.accounts.map(\.name), raw.map { $0["name"] as? String })
        XCTAssertEqual(list.accounts.map(\.currency), raw.map { $0["currency"] as? String })
        XCTAssertEqual(list.accounts.map(\.balance), raw.map { ($0["balance"] as? NSNumber)?.int64Value })
    }

    func testTransactionsDecode() throws {
        let list = try JSONDecoder.bankAPI.decode(
            TransactionList.self, from: ContractVectors.json("responses", "transactions"))
        let raw = try objects(ContractVectors.value("responses", "transactions", "transactions"))
        XCTAssertFalse(raw.isEmpty)
        XCTAssertEqual(list.transactions.map(\.id), raw.map { $0["id"] as? String })
        XCTAssertEqual(list.transactions.map(\.amount), raw.map { ($0["amount"] as? NSNumber)?.int64Value })
        XCTAssertTrue(list.transactions.contains { $0.amount < 0 }, "money leaving an account is negative")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        XCTAssertEqual(list.transactions.map(\.createdAt), raw.map { formatter.date(from: $0["createdAt"] as? String ?? "") })
    }

    func testATransferAnswerDecodesAsAReceipt() throws {
        let receipt = try JSONDecoder.bankAPI.decode(TransferReceipt.self, from: ContractVectors.json("responses", "transfer"))
        let raw = try XCTUnwrap(ContractVectors.value("responses", "transfer") as? [String: Any])
        XCTAssertEqual(receipt, TransferReceipt(id: try XCTUnwrap(raw["id"] as? String), status: "completed"))
    }

    func testDraftsEncodeAsTheAPIsSchemaReadsThem() throws {
        let cases = try objects(ContractVectors.value("requests", "transfers"))
        let drafts = cases.filter { ($0["valid"] as? Bool) == true }.compactMap { $0["body"] as? [String: Any] }
            .filter { Set($0.keys) == ["fromAccountId", "toAccountId", "amount", "description"] }
        XCTAssertGreaterThanOrEqual(drafts.count, 2)
        for body in drafts {
            let draft = TransferDraft(
                fromAccountId: try XCTUnwrap(body["fromAccountId"] as? String),
                toAccountId: try XCTUnwrap(body["toAccountId"] as? String),
                amount: try XCTUnwrap((body["amount"] as? NSNumber)?.int64Value),
                description: try XCTUnwrap(body["description"] as? String))
            let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(draft))
            XCTAssertEqual(encoded as? NSDictionary, body as NSDictionary)
        }
    }

    func testErrorBodiesDecode() throws {
        let cases = try objects(ContractVectors.value("errors"))
        XCTAssertFalse(cases.isEmpty)
        for error in cases {
            let body = try XCTUnwrap(error["body"] as? [String: Any])
            let data = try JSONSerialization.data(withJSONObject: body)
            let decoded = try JSONDecoder().decode(APIErrorBody.self, from: data)
            XCTAssertEqual(decoded.code, body["code"] as? String)
            XCTAssertEqual(decoded.message, body["message"] as? String)
        }
    }

    func testTheLevelWordsExplainTheAPIsStepUp() throws {
        let typed = try ContractVectors.typed()
        let words = Dictionary(uniqueKeysWithValues: typed.levels.map { ($0.acr, "your \($0.credential)") })
        let above = try XCTUnwrap(typed.policy.transfers.first { $0.amount > typed.policy.highValueThreshold })
        XCTAssertEqual(above.maxAge, typed.policy.highMaxAge)
        let reason = StepUpRequirement(acrValues: [above.acr], maxAge: above.maxAge).reason(acrDescriptions: words)
        let level = try XCTUnwrap(typed.levels.first { $0.acr == above.acr })
        XCTAssertEqual(reason, "This needs your \(level.credential). You also need to have signed in within the last 5 minutes.")
    }
}
