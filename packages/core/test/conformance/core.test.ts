import { postgresVariant, STORE_VARIANTS } from '../databases.js';
import { coreDriver, runConformance, runTransactionConformance } from './run.js';

runConformance(coreDriver());
for (const variant of STORE_VARIANTS) runTransactionConformance(coreDriver(), variant);
postgresVariant('transaction conformance: core');
