import Foundation

/// The one query encoding BankKit writes: every byte outside `ALPHA / DIGIT / "-" / "." / "_" / "~"`
/// (RFC 3986 §2.3) is percent-encoded with upper-case hex, space included (`%20`, never `+`).
/// `URLComponents.queryItems` would leave `:`, `/`, `?` and `+` as they are; a `+` is read as a space
/// by many form decoders, so it is encoded here.
enum QueryEncoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    static func encode(_ value: String) -> String {
        var out: [UInt8] = []
        for byte in value.utf8 {
            let unreserved = HTTPGrammar.isAlphaNumeric(byte) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            if unreserved {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `name=value` pairs joined with `&`, in the order given.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
