// The repository carries its own copy of every file its tests read (a plain `git clone` must pass):
// no test or source file may reach outside the package for data.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers/fixtures.js';

const packageRoot = new URL('../', import.meta.url);

function files(dir: URL): URL[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.name === 'node_modules' || d.name === 'dist') return [];
    const url = new URL(d.isDirectory() ? `${d.name}/` : d.name, dir);
    return d.isDirectory() ? files(url) : [url];
  });
}

describe('test fixtures', () => {
  it('every file the fixtures README lists is in test/fixtures', () => {
    const readme = readFileSync(fixture('README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!);
    expect(listed.sort()).toEqual(
      readdirSync(fixture(''))
        .filter((f) => f !== 'README.md')
        .sort(),
    );
    for (const name of listed) expect(existsSync(fixture(name))).toBe(true);
  });

  // The project's shared folder beside the checkout, spelt in pieces so that this file does not name it.
  const SHARED = 'sha' + 'red/';
  const outside = new RegExp(`(\\.\\./)+${SHARED}|/work/${SHARED}`);

  it("no source or test file reads a path outside the package (the checkout's shared folder)", () => {
    const offenders = [...files(new URL('src/', packageRoot)), ...files(new URL('test/', packageRoot))]
      .filter((url) => url.pathname.endsWith('.ts') && url.href !== import.meta.url)
      .filter((url) => outside.test(readFileSync(url, 'utf8')))
      .map((url) => url.pathname);
    expect(offenders).toEqual([]);
  });
});
