// One set of conventions with @stepup/core: MdsError carries code, details and cause; the guard checks
// the shape, so it works across duplicate copies of the package (two versions in node_modules).
import { isMdsError, MdsError, verifyBlob } from '@stepup/mds';
import { describe, expect, it } from 'vitest';

/** What an MdsError from another copy of the package looks like: same shape, another class. */
class MdsErrorFromAnotherCopy extends Error {
  override readonly name = 'MdsError';
  readonly code = 'ERR_BLOB_ROLLBACK';
  readonly details = { no: 3, minNo: 4 };
}

describe('MdsError', () => {
  it('carries code, details and cause', () => {
    const cause = new Error('low level');
    const error = new MdsError('ERR_BLOB_ROLLBACK', 'rolled back', { details: { no: 3, minNo: 4 }, cause });
    expect(error).toMatchObject({
      name: 'MdsError',
      code: 'ERR_BLOB_ROLLBACK',
      details: { no: 3, minNo: 4 },
    });
    expect(error.cause).toBe(cause);
    expect(error).not.toHaveProperty('data');
    expect(new MdsError('ERR_NO_SOURCE', 'x').details).toEqual({});
  });

  it('isMdsError recognises the shape across package copies, and nothing else', () => {
    const foreign = new MdsErrorFromAnotherCopy('from a duplicate copy');
    expect(foreign instanceof MdsError).toBe(false);
    expect(isMdsError(foreign)).toBe(true);
    expect(isMdsError(foreign, 'ERR_BLOB_ROLLBACK')).toBe(true);
    expect(isMdsError(foreign, 'ERR_FETCH_FAILED')).toBe(false);
    expect(isMdsError(new Error('plain'))).toBe(false);
    expect(isMdsError({ name: 'MdsError', code: 'ERR_BLOB_ROLLBACK', message: 'not an Error' })).toBe(false);
    expect(isMdsError(Object.assign(new Error('no code'), { name: 'MdsError' }))).toBe(false);
    expect(isMdsError(undefined)).toBe(false);
  });

  it('errors thrown by the package have details, not data', async () => {
    const error = await verifyBlob('x'.repeat(10), { maxBytes: 5 }).catch((e: unknown) => e);
    expect(isMdsError(error, 'ERR_BLOB_TOO_LARGE')).toBe(true);
    expect(error).toMatchObject({ details: { maxBytes: 5 } });
  });
});
