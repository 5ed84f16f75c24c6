import { runProfiles } from '../../core/test/profiles/run.js';
import { PROFILE_APP } from '../../core/test/profiles/setup.js';
import { expressDriver } from './driver.js';

runProfiles(expressDriver(PROFILE_APP));
