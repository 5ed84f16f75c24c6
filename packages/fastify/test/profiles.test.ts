import { runProfiles } from '../../core/test/profiles/run.js';
import { PROFILE_APP } from '../../core/test/profiles/setup.js';
import { injectDriver, listenerDriver } from './driver.js';

runProfiles(injectDriver(PROFILE_APP));
runProfiles(listenerDriver(PROFILE_APP));
