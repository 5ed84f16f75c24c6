import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BlobPersistence } from './types.js';

/**
 * Keeps the BLOB in one file. Writes go to a temporary file in the same directory, then are
 * renamed over the target, so a crash never leaves a truncated BLOB behind.
 *
 * @example
 * ```ts
 * createMetadataStore({ persistence: fileBlobPersistence('/var/lib/app/mds.jwt') })
 * ```
 */
export function fileBlobPersistence(file: string): BlobPersistence {
  return {
    async load() {
      try {
        return await readFile(file, 'utf8');
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
        throw error;
      }
    },
    async save(blob: string) {
      await mkdir(dirname(file), { recursive: true });
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, blob, 'utf8');
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
  };
}
