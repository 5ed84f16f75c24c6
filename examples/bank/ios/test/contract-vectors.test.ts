// The contract vectors (../vectors/contract.json) BankKit's XCTest suite reads: generated from
// @stepup-example/contract by scripts/contract-vectors.mjs. This fails when the committed file is out of
// date, checks that the script writes exactly it, and that what the Swift tests rely on is there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BANK_LEVELS, ErrorBody, TransferBody, transferNeeds } from '@stepup-example/contract';
import { contractVectors, contractVectorsJson } from '@stepup-example/contract/vectors';
import { afterAll, describe, expect, it } from 'vitest';

const committedPath = fileURLToPath(new URL('../vectors/contract.json', import.meta.url));
const committed = readFileSync(committedPath, 'utf8');
const vectors = contractVectors();
const scratch = mkdtempSync(join(tmpdir(), 'stepup-contract-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the contract vectors file', () => {
  it('is what the contract generates (else run `npm run vectors -w @stepup-example/ios`)', () => {
    expect(JSON.parse(committed)).toEqual(JSON.parse(contractVectorsJson()));
    expect(committed).toBe(contractVectorsJson());
  });

  it('is what the script writes', () => {
    const script = fileURLToPath(new URL('../scripts/contract-vectors.mjs', import.meta.url));
    const out = join(scratch, 'contract.json');
    execFileSync(process.execPath, [script, '--out', out], { stdio: 'pipe' });
    expect(readFileSync(out, 'utf8')).toBe(committed);
  });

  it('is bundled with the Swift package, next to vectors.json', () => {
    const bundled = fileURLToPath(
      new URL('../BankKit/Tests/BankKitTests/Vectors/contract.json', import.meta.url),
    );
    expect(realpathSync(committedPath)).toBe(realpathSync(bundled));
  });
});

describe('what the Swift tests read', () => {
  it('the levels, weakest first, and what each transfer amount needs', () => {
    expect(vectors.levels.map((l) => l.acr)).toEqual(BANK_LEVELS.map((l) => l.acr));
    for (const { amount, acr, maxAge } of vectors.policy.transfers) {
      const needs = transferNeeds(amount);
      expect({ acr, maxAge }).toEqual({ acr: needs.level.acr, maxAge: needs.maxAge });
    }
  });

  it('transfer requests with the verdict the API’s schema gives them, some of them as BankKit encodes drafts', () => {
    for (const { name, body, valid } of vectors.requests.transfers) {
      expect([name, TransferBody.safeParse(body).success]).toEqual([name, valid]);
    }
    // TransferDraft encodes exactly these four fields; the Swift test encodes a draft per such case.
    const drafts = vectors.requests.transfers.filter(
      (c) =>
        c.valid &&
        JSON.stringify(Object.keys(c.body as object).sort()) ===
          '["amount","description","fromAccountId","toAccountId"]',
    );
    expect(drafts.length).toBeGreaterThanOrEqual(2);
    expect(vectors.requests.transfers.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(5);
  });

  it('error bodies in the one shape, one of them a step-up naming a level the bank has', () => {
    for (const { body } of vectors.errors) expect(ErrorBody.safeParse(body).success).toBe(true);
    const stepUp = vectors.errors.find((e) => e.body.error === 'insufficient_user_authentication');
    expect(BANK_LEVELS.map((l) => l.acr)).toContain(stepUp?.body.acr_values);
    expect(stepUp?.status).toBe(401);
  });
});
