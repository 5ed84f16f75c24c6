import Foundation

/// A new `Idempotency-Key` value: a random UUID. Make one per transfer the user submits, keep it with
/// the draft, and reuse it for every retry of that transfer.
public func makeIdempotencyKey() -> String {
    UUID().uuidString.lowercased()
}
