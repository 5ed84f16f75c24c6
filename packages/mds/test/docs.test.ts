// The README's code tables are part of the API: every error code and every reason code, each once.
import { readFileSync } from 'node:fs';
import { MDS_ERROR_CODES, REASON_CODES } from '@stepup/mds';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The backquoted names in the first column of the first table after `marker`. */
function firstColumn(marker: string): string[] {
  const start = readme.indexOf(marker);
  if (start === -1) throw new Error(`no ${marker} in the README`);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const names: string[] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    const cell = line.split('|')[1] ?? '';
    names.push(...[...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  }
  return names;
}

describe('README', () => {
  it('lists every MdsError code once', () => {
    const documented = firstColumn('\n## Errors\n');
    expect([...documented].sort()).toEqual([...MDS_ERROR_CODES].sort());
  });
  it('lists every reason code once', () => {
    const documented = firstColumn('Reason codes (`REASON_CODES`)');
    expect([...documented].sort()).toEqual([...REASON_CODES].sort());
  });
});
