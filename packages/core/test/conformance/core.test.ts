import { coreDriver, runConformance } from './run.js';

runConformance(coreDriver());
