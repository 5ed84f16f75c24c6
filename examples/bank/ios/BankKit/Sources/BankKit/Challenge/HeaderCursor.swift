import Foundation

/// Character classes of RFC 9110: tchar (§5.6.2), token68 (§11.2), qdtext / quoted-pair (§5.6.4).
enum HTTPGrammar {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "=")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")

    static func isAlphaNumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isTokenChar(_ byte: UInt8) -> Bool {
        isAlphaNumeric(byte) || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }

    static func isToken68Char(_ byte: UInt8) -> Bool {
        isAlphaNumeric(byte) || Array("-._~+/".utf8).contains(byte)
    }

    /// HTAB, SP, VCHAR and obs-text: what may stand inside a quoted-string. CR, LF, NUL, DEL may not.
    static func isQuotable(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }
}

/// A cursor over the UTF-8 bytes of a header value. Mirrors the scanner of `@stepup/core`'s
/// `parseChallenges`, so that both sides accept and refuse the same headers (see the shared vectors).
struct HeaderCursor {
    let bytes: [UInt8]
    var position = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { position >= bytes.count }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == HTTPGrammar.space || byte == HTTPGrammar.tab {
            position += 1
        }
    }

    /// Skips the separators of a #list: whitespace and empty elements (RFC 9110 §5.6.1.2).
    mutating func skipListSeparators() {
        while let byte = current, byte == HTTPGrammar.space || byte == HTTPGrammar.tab || byte == HTTPGrammar.comma {
            position += 1
        }
    }

    mutating func token() -> String {
        let start = position
        while let byte = current, HTTPGrammar.isTokenChar(byte) {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// A quoted-string starting at the opening quote, unescaped.
    mutating func quotedString() throws -> String {
        let start = position
        position += 1
        var value: [UInt8] = []
        while let byte = current {
            if byte == HTTPGrammar.quote {
                position += 1
                return String(decoding: value, as: UTF8.self)
            }
            if byte == HTTPGrammar.backslash {
                position += 1
                if isAtEnd { break }
            }
            let character = bytes[position]
            guard HTTPGrammar.isQuotable(character) else {
                throw BankKitError.challengeMalformed(.controlCharacter, offset: position)
            }
            value.append(character)
            position += 1
        }
        throw BankKitError.challengeMalformed(.unterminatedQuotedString, offset: start)
    }

    /// A token68 that ends the challenge (followed by the end or a comma), or nil with the cursor unmoved.
    mutating func token68() -> String? {
        let start = position
        while let byte = current, HTTPGrammar.isToken68Char(byte) {
            position += 1
        }
        if position == start { return nil }
        while current == HTTPGrammar.equals {
            position += 1
        }
        let end = position
        skipWhitespace()
        if isAtEnd || current == HTTPGrammar.comma {
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        position = start
        return nil
    }

    /// Whether an auth-param (`token BWS "="`) starts here, without moving.
    func isAtParameter() -> Bool {
        var probe = self
        let name = probe.token()
        probe.skipWhitespace()
        return !name.isEmpty && probe.current == HTTPGrammar.equals
    }
}
