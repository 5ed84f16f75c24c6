import XCTest
@testable import BankKit

final class StepUpRequirementTests: XCTestCase {
    func testReadsAcrValuesAndMaxAgeFromTheBearerChallenge() throws {
        let header = #"DPoP algs="ES256", Bearer realm="bank", error="insufficient_user_authentication", "#
            + #"error_description="Transfers over 1,000 need a security key", "#
            + #"acr_values="urn:stepup:bank:acr:high  https://refeds.org/profile/mfa", max_age="300""#
        let requirement = try XCTUnwrap(StepUpRequirement(header: header))
        XCTAssertEqual(requirement, StepUpRequirement(
            acrValues: ["urn:stepup:bank:acr:high", "https://refeds.org/profile/mfa"], maxAge: 300,
            errorDescription: "Transfers over 1,000 need a security key"))
    }

    func testOtherErrorsAreNotAStepUp() throws {
        XCTAssertNil(try StepUpRequirement(header: #"Bearer error="invalid_token""#))
        XCTAssertNil(try StepUpRequirement(header: #"Bearer realm="bank""#))
        // The error must be on a Bearer challenge.
        XCTAssertNil(try StepUpRequirement(header: #"DPoP error="insufficient_user_authentication", max_age="5""#))
    }

    func testMaxAgeMustBeANonNegativeInteger() {
        for value in ["-1", "5.0", "+5", "", "99999999999999999999", "five"] {
            let header = #"Bearer error="insufficient_user_authentication", max_age="\#(value)""#
            XCTAssertThrowsError(try StepUpRequirement(header: header), value) { error in
                XCTAssertEqual((error as? BankKitError)?.code, "ERR_STEP_UP_CHALLENGE_INVALID", value)
            }
        }
        XCTAssertEqual(try StepUpRequirement(header: #"Bearer error="insufficient_user_authentication", max_age=0"#)?.maxAge, 0)
    }

    func testAStepUpThatAsksForNothingIsRefused() {
        XCTAssertThrowsError(try StepUpRequirement(header: #"Bearer error="insufficient_user_authentication""#)) { error in
            XCTAssertEqual((error as? BankKitError)?.code, "ERR_STEP_UP_CHALLENGE_INVALID")
        }
    }

    func testMalformedHeadersAreReported() {
        XCTAssertThrowsError(try StepUpRequirement(header: #"Bearer error="insufficient_user_authentication"#)) { error in
            XCTAssertEqual((error as? BankKitError)?.code, "ERR_CHALLENGE_MALFORMED")
        }
    }

    func testReasonInPlainWords() {
        let names = ["urn:stepup:bank:acr:high": "your security key"]
        XCTAssertEqual(
            StepUpRequirement(acrValues: ["urn:other", "urn:stepup:bank:acr:high"], maxAge: 300).reason(acrDescriptions: names),
            "This needs your security key. You also need to have signed in within the last 5 minutes.")
        XCTAssertEqual(
            StepUpRequirement(acrValues: ["urn:unknown"]).reason(acrDescriptions: names),
            "This needs a stronger way of signing in than the one you used.")
        XCTAssertEqual(
            StepUpRequirement(maxAge: 60).reason(acrDescriptions: names),
            "You need to have signed in within the last minute.")
        XCTAssertEqual(StepUpRequirement(maxAge: 45).reason(acrDescriptions: [:]), "You need to have signed in within the last 45 seconds.")
        XCTAssertEqual(StepUpRequirement(maxAge: 7200).reason(acrDescriptions: [:]), "You need to have signed in within the last 2 hours.")
        XCTAssertEqual(StepUpRequirement(maxAge: 0).reason(acrDescriptions: [:]), "You need to have signed in just now.")
    }
}
