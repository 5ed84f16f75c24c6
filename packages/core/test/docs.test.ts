// The README's error-code table is part of the API: it must list every code with the status and wire
// error the code really has.
import { readFileSync } from 'node:fs';
import { ERROR_CODES } from '@stepup/core';
import { describe, expect, it } from 'vitest';

const readmes = {
  '@stepup/core': readFileSync(new URL('../README.md', import.meta.url), 'utf8'),
  '@stepup/express': readFileSync(new URL('../../express/README.md', import.meta.url), 'utf8'),
  '@stepup/fastify': readFileSync(new URL('../../fastify/README.md', import.meta.url), 'utf8'),
};

/** The rows of the first Markdown table after `heading`, as cells. */
function table(readme: string, heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`no heading ${heading}`);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe.each(Object.entries(readmes))('the README of %s', (_, readme) => {
  it('lists every error code once, with its status and wire error', () => {
    const rows = table(readme, '## Errors');
    const documented = rows.map(([code, status, wire]) => ({
      code: code!.replace(/`/g, ''),
      status: Number(status),
      wire: wire === '—' ? undefined : wire!.replace(/`/g, ''),
    }));
    const actual = Object.entries(ERROR_CODES).map(([code, info]) => ({
      code,
      status: info.status,
      wire: info.error,
    }));
    expect([...documented].sort((a, b) => a.code.localeCompare(b.code))).toEqual(
      [...actual].sort((a, b) => a.code.localeCompare(b.code)),
    );
  });
});
