export { createTestIssuer, type MintOptions, type TestIssuer, type TestIssuerOptions } from './issuer.js';
