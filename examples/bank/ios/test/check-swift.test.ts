// The Swift sources cannot be compiled here (no Swift toolchain); this runs the tree-sitter-swift syntax
// check over all of them, and proves on broken samples that the check really fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { requires } from '../../../../test/services.js';

const script = fileURLToPath(new URL('../scripts/check-swift.mjs', import.meta.url));

// tree-sitter and tree-sitter-swift are optional dependencies (a plain `npm install` drops them when
// tree-sitter-cli's binary download fails). CI installs them with `npm ci --ignore-scripts`, and there
// their absence is a failure, never a skip (requires()).

const scratch = mkdtempSync(join(tmpdir(), 'stepup-swift-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function check(...paths: string[]) {
  const run = spawnSync(process.execPath, [script, ...paths], { cwd: scratch, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function sample(name: string, source: string): string {
  const path = join(scratch, name);
  writeFileSync(path, source);
  return path;
}

describe('Swift syntax check (tree-sitter-swift)', requires('tree-sitter'), () => {
  it('passes every Swift file of BankKit and the app', () => {
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    const [, ok, total] = /(\d+) of (\d+) Swift files parse without errors/.exec(out) ?? [];
    expect(Number(total)).toBeGreaterThanOrEqual(40);
    expect(ok).toBe(total);
  });

  it('accepts valid Swift', () => {
    const good = sample(
      'Good.swift',
      'import Foundation\n\nstruct A: Sendable {\n    let x: Int\n    func f() async throws -> String {\n        guard x > 0 else { return "" }\n        return "\\(x)"\n    }\n}\n',
    );
    expect(check(good)).toMatchObject({ status: 0 });
  });

  it('reports a missing closing brace or parenthesis with its position', () => {
    const broken = sample('Unclosed.swift', 'struct A {\n    func f( {\n}\n');
    const result = check(broken);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unclosed.swift:2:12: missing )');
    expect(result.stdout).toContain('0 of 1 Swift files parse without errors');
  });

  it('reports stray tokens as syntax errors', () => {
    const broken = sample('Stray.swift', 'let a = 1\nlet b = = 2\nfunc g() -> { }\n');
    const result = check(broken);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Stray\.swift:\d+:\d+: (syntax error|missing)/);
  });

  it('fails the whole run when one file of several is broken', () => {
    const good = sample('Fine.swift', 'let ok = [1, 2, 3]\n');
    const broken = sample('Bad.swift', 'let bad = [1, 2\n');
    const result = check(good, broken);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('1 of 2 Swift files parse without errors');
  });
});
