import { coreDriver, runConformance } from './run.js';

// Both verification backends must answer every case exactly as the table says.
runConformance(coreDriver('native'));
runConformance(coreDriver('jose'));
