// `@stepup/core/client` promises to run in browsers: nothing it imports, directly or not, may be a Node
// built-in. Walks the import graph of its source from the entry point.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/client/index.ts', import.meta.url));
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function graph(start: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const walk = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('.')) walk(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else external.add(specifier);
    }
  };
  walk(start);
  return { files, external };
}

describe('@stepup/core/client', () => {
  it('imports no Node built-in, directly or through the modules it uses', () => {
    const { files, external } = graph(entry);
    expect(files.size).toBeGreaterThan(3);
    const node = [...external].filter((s) => s.startsWith('node:') || ['crypto', 'buffer', 'fs'].includes(s));
    expect(node).toEqual([]);
    expect([...external].sort()).toEqual(['zod']);
  });

  it('the main entry, by contrast, does (so the check can fail)', () => {
    const { external } = graph(fileURLToPath(new URL('../src/index.ts', import.meta.url)));
    expect([...external].some((s) => s.startsWith('node:'))).toBe(true);
  });

  it('reads a step-up challenge', async () => {
    const { readStepUpChallenge } = await import('@stepup/core/client');
    expect(
      readStepUpChallenge('Bearer error="insufficient_user_authentication", acr_values="a b", max_age="60"'),
    ).toEqual({
      acrValues: ['a', 'b'],
      maxAge: 60,
    });
  });
});
