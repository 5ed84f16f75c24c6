import Foundation

/// Parses a `WWW-Authenticate` header value into its challenges (RFC 9110 §11.6.1), as the bank API
/// writes it or as any other server does: several challenges in one header, quoted-strings with
/// escapes, token68, empty list elements. Scheme and parameter names are lower-cased; values are kept.
///
/// It does not interpret the parameters: see ``StepUpRequirement/init(challenges:)`` for RFC 9470.
/// An empty header gives no challenges.
///
/// ```swift
/// let challenges = try parseChallenges(#"Bearer realm="bank", DPoP algs="ES256""#)
/// // [Challenge(scheme: "bearer", params: ["realm": "bank"]), Challenge(scheme: "dpop", params: ["algs": "ES256"])]
/// ```
///
/// - Throws: ``BankKitError/challengeMalformed(_:offset:)`` when any part of the header is malformed:
///   one bad challenge makes the whole header untrustworthy.
public func parseChallenges(_ header: String) throws -> [Challenge] {
    var cursor = HeaderCursor(header)
    var challenges: [Challenge] = []
    cursor.skipListSeparators()
    while !cursor.isAtEnd {
        challenges.append(try parseChallenge(&cursor))
        cursor.skipListSeparators()
    }
    return challenges
}

private func parseChallenge(_ cursor: inout HeaderCursor) throws -> Challenge {
    let start = cursor.position
    let scheme = cursor.token().lowercased()
    if scheme.isEmpty {
        throw BankKitError.challengeMalformed(.expectedScheme, offset: start)
    }
    if cursor.isAtEnd || cursor.current == HTTPGrammar.comma {
        return Challenge(scheme: scheme)
    }
    if cursor.current != HTTPGrammar.space {
        throw BankKitError.challengeMalformed(.expectedSpaceAfterScheme, offset: cursor.position)
    }
    cursor.skipWhitespace()
    if cursor.isAtEnd {
        return Challenge(scheme: scheme)
    }
    if let token68 = cursor.token68() {
        return Challenge(scheme: scheme, token68: token68)
    }
    return Challenge(scheme: scheme, params: try parseParameters(&cursor))
}

/// Auth-params up to the end of the header or the start of the next challenge.
private func parseParameters(_ cursor: inout HeaderCursor) throws -> [String: String] {
    var params: [String: String] = [:]
    while true {
        let start = cursor.position
        let name = cursor.token().lowercased()
        if name.isEmpty {
            throw BankKitError.challengeMalformed(.expectedParameterName, offset: start)
        }
        cursor.skipWhitespace()
        if cursor.current != HTTPGrammar.equals {
            throw BankKitError.challengeMalformed(.expectedEquals, offset: cursor.position)
        }
        cursor.position += 1
        cursor.skipWhitespace()
        let value: String
        if cursor.current == HTTPGrammar.quote {
            value = try cursor.quotedString()
        } else {
            value = cursor.token()
            if value.isEmpty {
                throw BankKitError.challengeMalformed(.expectedValue, offset: cursor.position)
            }
        }
        if params[name] != nil {
            throw BankKitError.challengeMalformed(.duplicateParameter(name), offset: start)
        }
        params[name] = value
        cursor.skipWhitespace()
        if cursor.isAtEnd { return params }
        if cursor.current != HTTPGrammar.comma {
            throw BankKitError.challengeMalformed(.expectedComma, offset: cursor.position)
        }
        cursor.skipListSeparators()
        if cursor.isAtEnd || !cursor.isAtParameter() { return params }
    }
}
