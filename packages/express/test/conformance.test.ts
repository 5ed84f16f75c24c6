import { runConformance } from '../../core/test/conformance/run.js';
import { CONFORMANCE_APP } from '../../core/test/conformance/setup.js';
import { expressDriver } from './driver.js';

runConformance(expressDriver(CONFORMANCE_APP));
