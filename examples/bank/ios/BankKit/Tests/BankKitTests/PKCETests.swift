import XCTest
@testable import BankKit

final class PKCETests: XCTestCase {
    func testPairsFromTheVectors() throws {
        let vectors = try VectorFile.load().pkce
        XCTAssertFalse(vectors.isEmpty)
        for vector in vectors {
            let pkce = try PKCE(verifier: vector.verifier)
            XCTAssertEqual(pkce.challenge, vector.challenge, vector.name)
            if let octets = vector.randomOctets {
                XCTAssertEqual(try PKCE(octets: octets), pkce, vector.name)
            }
        }
    }

    func testVerifiersOutsideRFC7636AreRefused() throws {
        for vector in try VectorFile.load().pkceInvalid {
            XCTAssertThrowsError(try PKCE(verifier: vector.verifier), vector.name) { error in
                XCTAssertEqual(error as? BankKitError, .pkceVerifierInvalid, vector.name)
            }
        }
    }

    func testGenerateUses32OctetsOfTheRandomSource() throws {
        let appendixB: [UInt8] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
            22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ]
        let pkce = try PKCE.generate(using: ScriptedRandom([appendixB]))
        XCTAssertEqual(pkce.verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        XCTAssertEqual(pkce.challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        XCTAssertThrowsError(try PKCE.generate(using: ScriptedRandom([[1, 2, 3]])))
    }

    func testTheSystemSourceGivesDifferentVerifiers() throws {
        let first = try PKCE.generate()
        let second = try PKCE.generate()
        XCTAssertEqual(first.verifier.count, 43)
        XCTAssertNotEqual(first.verifier, second.verifier)
    }
}
