import { runTable } from '../conformance/run.js';
import type { Driver } from '../conformance/setup.js';
import { PROFILE_CASES } from './cases.js';
import { createProfileKit, type ProfileKit } from './setup.js';

/** Runs the provider-profile table (eight issuers behind one API) against one driver. */
export function runProfiles(driver: Driver<ProfileKit>): void {
  runTable('profiles', driver, createProfileKit, PROFILE_CASES);
}
