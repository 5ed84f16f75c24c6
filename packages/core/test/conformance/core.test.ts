import type { IssuerOptions } from '@stepup/core';
import { coreDriver, runConformance } from './run.js';
import { CONFORMANCE_APP } from './setup.js';

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
      ...CONFORMANCE_APP,
      options: (kit) => {
        const options = CONFORMANCE_APP.options(kit);
        return { ...options, issuers: options.issuers.map(explicit) };
      },
    },
    'core, explicit default assurance',
  ),
);
