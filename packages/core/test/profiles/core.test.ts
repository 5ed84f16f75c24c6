import { coreDriver } from '../conformance/run.js';
import { runProfiles } from './run.js';
import { PROFILE_APP } from './setup.js';

runProfiles(coreDriver(PROFILE_APP));
