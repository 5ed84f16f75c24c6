import { postgresVariant } from '../../../test/services.js';
import { runConformance, runTransactionConformance } from '../../core/test/conformance/run.js';
import { CONFORMANCE_APP, STORE_APP } from '../../core/test/conformance/setup.js';
import { STORE_VARIANTS } from '../../core/test/databases.js';
import { expressDriver } from './driver.js';

runConformance(expressDriver(CONFORMANCE_APP));
for (const variant of STORE_VARIANTS) runTransactionConformance(expressDriver(STORE_APP), variant);
postgresVariant('transaction conformance on PostgreSQL: express (HTTP)');
