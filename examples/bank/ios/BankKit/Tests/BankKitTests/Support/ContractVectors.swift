import Foundation
import XCTest

/// The contract vectors (Vectors/contract.json): generated from the bank's contract
/// (examples/bank/contract) by examples/bank/ios/scripts/contract-vectors.mjs; a TypeScript test fails
/// when the committed file is out of date. The samples are read as raw JSON here and decoded with
/// BankKit's own decoders, so a model that does not match the API fails.
enum ContractVectors {
    struct Level: Decodable {
        let level: String
        let acr: String
        let name: String
        let credential: String
        let description: String
    }

    struct TransferNeed: Decodable {
        let amount: Int64
        let acr: String
        let maxAge: Int?
    }

    struct Policy: Decodable {
        let highValueThreshold: Int64
        let highMaxAge: Int
        let maxTransfer: Int64
        let transfers: [TransferNeed]
    }

    struct Typed: Decodable {
        let levels: [Level]
        let policy: Policy
    }

    static func data() throws -> Data {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: "contract", withExtension: "json", subdirectory: "Vectors"),
            "Vectors/contract.json is not in the test bundle")
        return try Data(contentsOf: url)
    }

    static func typed() throws -> Typed {
        try JSONDecoder().decode(Typed.self, from: data())
    }

    /// The value at `path` (object keys), as parsed by `JSONSerialization`.
    static func value(_ path: String...) throws -> Any {
        try value(at: path)
    }

    /// The object or array at `path` as JSON bytes, to decode with BankKit's decoders.
    static func json(_ path: String...) throws -> Data {
        try JSONSerialization.data(withJSONObject: value(at: path))
    }

    private static func value(at path: [String]) throws -> Any {
        var current: Any = try JSONSerialization.jsonObject(with: data())
        for key in path {
            let object = try XCTUnwrap(current as? [String: Any], "no object at \(key)")
            current = try XCTUnwrap(object[key], "no \(key) in the contract vectors")
        }
        return current
    }
}
