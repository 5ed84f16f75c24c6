import { postgresVariant } from '../../../test/services.js';
import { runConformance, runTransactionConformance } from '../../core/test/conformance/run.js';
import { CONFORMANCE_APP, STORE_APP } from '../../core/test/conformance/setup.js';
import { STORE_VARIANTS } from '../../core/test/databases.js';
import { injectDriver, listenerDriver } from './driver.js';

runConformance(injectDriver(CONFORMANCE_APP));
runConformance(listenerDriver(CONFORMANCE_APP));
for (const variant of STORE_VARIANTS) {
  runTransactionConformance(injectDriver(STORE_APP), variant);
  runTransactionConformance(listenerDriver(STORE_APP), variant);
}
postgresVariant('transaction conformance on PostgreSQL: fastify (inject and HTTP)');
