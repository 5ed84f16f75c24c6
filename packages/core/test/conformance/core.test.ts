import type { IssuerOptions } from '@stepup/core';
import { postgresVariant } from '../../../../test/services.js';
import { STORE_VARIANTS } from '../databases.js';
import { coreDriver, runConformance, runTransactionConformance } from './run.js';
import { CONFORMANCE_APP, STORE_APP } from './setup.js';

// Both verification backends must answer every case exactly as the table says.
runConformance(coreDriver(CONFORMANCE_APP, 'core', 'native'));
runConformance(coreDriver(CONFORMANCE_APP, 'core', 'jose'));

// The same table with every issuer's default rules written out: `assurance: { from: 'acr' }` (global
// `levels[].acr`, `auth_time`, RFC 9470) must answer byte for byte as no `assurance` at all.
const explicit = (issuer: IssuerOptions): IssuerOptions => ({
  ...issuer,
  assurance: { from: 'acr', freshness: 'auth_time', challenge: 'rfc9470' },
});
runConformance(
  coreDriver(
    {
      deployments: (kit) =>
        CONFORMANCE_APP.deployments(kit).map((deployment) => ({
          ...deployment,
          options: { ...deployment.options, issuers: deployment.options.issuers.map(explicit) },
        })),
    },
    'core, explicit default assurance',
  ),
);

// Single use recorded in a shared store (PGlite, and PostgreSQL with DATABASE_URL), on both backends.
for (const variant of STORE_VARIANTS) {
  runTransactionConformance(coreDriver(STORE_APP, 'core', 'native'), variant);
  runTransactionConformance(coreDriver(STORE_APP, 'core', 'jose'), variant);
}
postgresVariant('transaction conformance on PostgreSQL: core');
