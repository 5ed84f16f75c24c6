// Item "strict options everywhere": every options and policy object refuses unknown keys with
// ERR_CONFIG_INVALID naming them, and reports every issue at once (message and details.issues). A
// misspelt security option must never be dropped silently.
import {
  type ClassifyOptions,
  classifyRegistration,
  createMetadataStore,
  isMdsError,
  type MdsConfigIssue,
  type MetadataStoreOptions,
  reevaluate,
  summarizeBlob,
  type VerifyBlobOptions,
  validatePolicy,
  verifyBlob,
} from '@stepup/mds';
import { describe, expect, it } from 'vitest';
import { buildRegistration } from './helpers/attestation.js';

function issuesOf(run: () => unknown): MdsConfigIssue[] {
  try {
    run();
  } catch (error) {
    if (isMdsError(error, 'ERR_CONFIG_INVALID')) {
      for (const issue of error.details.issues ?? [])
        expect(error.message).toContain(`${issue.path}: ${issue.message}`);
      return [...(error.details.issues ?? [])];
    }
    throw error;
  }
  throw new Error('accepted');
}

async function asyncIssuesOf(run: () => Promise<unknown>): Promise<MdsConfigIssue[]> {
  let caught: unknown;
  await run().catch((error: unknown) => {
    caught = error;
  });
  return issuesOf(() => {
    if (caught === undefined) throw new Error('accepted');
    throw caught;
  });
}

const paths = (issues: MdsConfigIssue[]) => issues.map((i) => i.path);

describe('strict options', () => {
  it('createMetadataStore names every unknown or bad key, nested ones included', () => {
    const options = {
      persistance: { file: '/tmp/x' },
      revocation: 'fail-open',
      maxStalenes: 1,
      source: { url: 'https://mds.example/', timeoutMS: 5 },
      retry: { minDelay: 10, maxDelai: 20 },
      scheduler: { setTimeout, clearTimeout, unref: true },
      localStatements: [],
    };
    const issues = issuesOf(() => createMetadataStore(options as unknown as MetadataStoreOptions));
    expect(paths(issues).sort()).toEqual(
      ['maxStalenes', 'persistance', 'retry.maxDelai', 'scheduler.unref', 'source.timeoutMS'].sort(),
    );
    for (const issue of issues) expect(issue.message).toBe('unknown option');
  });

  it('a value of the wrong form says which forms there are', () => {
    // @ts-expect-error a URL string instead of { url }
    expect(issuesOf(() => createMetadataStore({ source: 'https://mds.example/' }))).toEqual([
      { path: 'source', message: 'Invalid input: expected false, or expected object, received string' },
    ]);
  });

  it('persistence: a misspelt key of either shape is named', () => {
    const file: MetadataStoreOptions = {
      // @ts-expect-error misspelt
      persistence: { file: '/tmp/x', sync: true },
    };
    expect(paths(issuesOf(() => createMetadataStore(file)))).toEqual(['persistence.sync']);
    const custom: MetadataStoreOptions = {
      // @ts-expect-error an extra member
      persistence: { load: async () => null, save: async () => undefined, flush: () => undefined },
    };
    expect(paths(issuesOf(() => createMetadataStore(custom)))).toEqual(['persistence.flush']);
  });

  it('verifyBlob refuses a misspelt revocation or minNo before reading the BLOB', async () => {
    const options: VerifyBlobOptions = {
      // @ts-expect-error misspelt
      revocaton: 'fail-closed',
      minNO: 7,
    };
    const issues = await asyncIssuesOf(() => verifyBlob('not even a jws', options));
    expect(issues).toEqual([
      { path: 'revocaton', message: 'unknown option' },
      { path: 'minNO', message: 'unknown option' },
    ]);
  });

  it('classifyRegistration refuses a misspelt policy (minCertificationLevel, denyAaguids) instead of weakening it', async () => {
    const { attestationObject } = await buildRegistration({ fmt: 'none' });
    const issues = await asyncIssuesOf(() =>
      classifyRegistration(
        { attestationObject },
        // @ts-expect-error misspelt policy keys
        { policy: { minCertificationLvl: 'FIDO_CERTIFIED_L3', denyAaguid: ['x'], allowAaguids: ['nope'] } },
      ),
    );
    expect(paths(issues)).toEqual([
      'policy.allowAaguids.0',
      'policy.minCertificationLvl',
      'policy.denyAaguid',
    ]);
    const typo: ClassifyOptions = {
      // @ts-expect-error an unknown top-level option
      stor: {},
    };
    expect(paths(await asyncIssuesOf(() => classifyRegistration({ attestationObject }, typo)))).toEqual([
      'stor',
    ]);
  });

  it('validatePolicy (the CLI --policy file) and reevaluate refuse unknown keys too', async () => {
    expect(paths(issuesOf(() => validatePolicy({ unattestedDeviceBoundIsMedum: false })))).toEqual([
      'unattestedDeviceBoundIsMedum',
    ]);
    expect(
      // @ts-expect-error misspelt
      paths(await asyncIssuesOf(() => reevaluate([], { policy: { denyAaguid: [] }, nw: Date.now }))),
    ).toEqual(['policy.denyAaguid', 'nw']);
  });

  it('summarizeBlob refuses unknown keys, and a clock of the old Date convention fails at construction', () => {
    const blob = { entries: [], skippedEntries: [], no: 1, nextUpdate: '2025-01-01' };
    // @ts-expect-error not a VerifiedBlob, and a misspelt option
    expect(paths(issuesOf(() => summarizeBlob(blob, { nowe: Date.now })))).toEqual(['nowe']);
    // @ts-expect-error a clock returning a Date
    expect(paths(issuesOf(() => createMetadataStore({ source: false, now: () => new Date() })))).toEqual([
      'now',
    ]);
  });
});
