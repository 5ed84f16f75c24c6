import Foundation

// The bank API's JSON (examples/bank/api). Money is in integer minor units (cents), never floating point.

public struct Account: Decodable, Identifiable, Hashable, Sendable {
    public let id: String
    public let name: String
    public let currency: String
    /// Balance in minor units.
    public let balance: Int64

    public init(id: String, name: String, currency: String, balance: Int64) {
        self.id = id
        self.name = name
        self.currency = currency
        self.balance = balance
    }
}

public struct Transaction: Decodable, Identifiable, Hashable, Sendable {
    public let id: String
    /// Minor units; negative when money left the account.
    public let amount: Int64
    public let description: String
    public let createdAt: Date
}

/// A transfer as the user entered it. Sent with an `Idempotency-Key` that the app keeps with the
/// draft, so a retry (after a step-up or a lost connection) never moves money twice.
public struct TransferDraft: Codable, Equatable, Sendable {
    public let fromAccountId: String
    public let toAccountId: String
    /// Minor units, positive.
    public let amount: Int64
    public let description: String

    public init(fromAccountId: String, toAccountId: String, amount: Int64, description: String) {
        self.fromAccountId = fromAccountId
        self.toAccountId = toAccountId
        self.amount = amount
        self.description = description
    }
}

public struct TransferReceipt: Decodable, Equatable, Sendable {
    public let id: String
    public let status: String
}

struct AccountList: Decodable {
    let accounts: [Account]
}

struct TransactionList: Decodable {
    let transactions: [Transaction]
}

/// The API's error body; every field optional so an unexpected shape still yields the status.
struct APIErrorBody: Decodable {
    let code: String?
    let message: String?
}

extension JSONDecoder {
    /// Dates as ISO 8601 with or without fractional seconds (JavaScript's `toISOString()` has them,
    /// which `.iso8601` refuses).
    static var bankAPI: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime]
            if let date = formatter.date(from: text) { return date }
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date"))
        }
        return decoder
    }
}
