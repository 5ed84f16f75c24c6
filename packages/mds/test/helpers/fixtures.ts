import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A file of `test/fixtures/` (copies of public data, origins and licenses in its README). */
export const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);

/** The FIDO conformance-tool MDS3 BLOB (`no` 42, ES256, 200 entries) and its "FAKE Root FAKE". */
export const conformanceBlob = () => readFileSync(fixture('fido-conformance-mds3.jwt'), 'utf8');
export const conformanceRoot = () => readFileSync(fixture('fido-conformance-root.pem'), 'utf8');

/** A moment when every certificate of the conformance chain is valid (signer 2017–2030) and
 * the BLOB's own `nextUpdate` (2023-11-08) has not passed. */
export const CONFORMANCE_NOW = Date.parse('2023-11-01T00:00:00Z');

const registrationSchema = z.object({
  id: z.string(),
  rawId: z.string(),
  type: z.string(),
  response: z.object({ clientDataJSON: z.string(), attestationObject: z.string() }),
  clientData: z.object({ origin: z.string(), challenge: z.string() }),
});

export type RealRegistration = z.infer<typeof registrationSchema>;

/** Registration responses from real authenticators (fido2-lib's test helpers, MIT). */
export const realRegistrations = (): Record<string, RealRegistration> =>
  z
    .record(z.string(), registrationSchema)
    .parse(JSON.parse(readFileSync(fixture('real-registrations.json'), 'utf8')));
