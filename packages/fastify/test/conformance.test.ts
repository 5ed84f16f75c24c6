import { runConformance } from '../../core/test/conformance/run.js';
import { CONFORMANCE_APP } from '../../core/test/conformance/setup.js';
import { injectDriver, listenerDriver } from './driver.js';

runConformance(injectDriver(CONFORMANCE_APP));
runConformance(listenerDriver(CONFORMANCE_APP));
