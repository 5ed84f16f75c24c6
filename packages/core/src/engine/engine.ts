import { issuerRendering } from '../assurance/issuer-rendering.js';
import { createIssuerRules, type IssuerRules } from '../assurance/issuer-rules.js';
import { type AuditReporter, createAuditReporter, type StepUpLogger } from '../audit.js';
import { checkRendering } from '../challenge/check-rendering.js';
import type { RenderContext } from '../challenge/render.js';
import { createDpopCheck, type DpopCheck } from '../dpop/dpop.js';
import type { UseRecorder } from '../dpop/record-uses.js';
import type { ChallengeRendering } from '../errors.js';
import { createMetadata, type ProtectedResourceMetadata } from '../metadata/metadata.js';
import type { ResolvedOptions } from '../options.js';
import { AssuranceLevels } from '../policy/levels.js';
import { PolicyRegistry } from '../policy/registry.js';
import { createMemoryReplayStore } from '../stores/memory.js';
import type { Credentials } from '../token/bearer.js';
import { TokenCache } from '../token/cache.js';
import { createTokenVerifier, type TokenVerifier } from '../token/verify.js';

/** Everything a decision uses, built once from validated options. */
export interface Engine {
  readonly now: () => number;
  readonly clockTolerance: number;
  readonly maxTokenLength: number;
  readonly logger: StepUpLogger | undefined;
  readonly dpop: DpopCheck | undefined;
  /** How a refusal is rendered before any token is trusted (no issuer known). */
  readonly rendering: ChallengeRendering;
  /** How a refusal is rendered for each issuer's tokens (its challenge dialect). */
  readonly renderings: ReadonlyMap<string, ChallengeRendering>;
  /** What a challenge needs to know of the request: with DPoP, the scheme it used. */
  readonly contexts: Readonly<Record<Credentials['scheme'], RenderContext | undefined>>;
  readonly levels: AssuranceLevels;
  readonly policies: PolicyRegistry;
  readonly rules: ReadonlyMap<string, IssuerRules>;
  readonly cache: TokenCache | undefined;
  readonly verifier: TokenVerifier;
  readonly audit: AuditReporter;
  readonly recorder: UseRecorder;
  readonly metadata: ProtectedResourceMetadata | undefined;
}

const SCHEMES = { bearer: { scheme: 'bearer' }, dpop: { scheme: 'dpop' } } as const;
const NO_SCHEMES = { bearer: undefined, dpop: undefined } as const;

/**
 * Builds the engine's parts from validated options: rendering (checked now, so a realm or URL a header
 * cannot carry fails at boot), levels and policies, each issuer's rules and rendering, the verifier and
 * its cache, the audit reporter, DPoP, and the recorder of single uses.
 */
export function createEngine(options: ResolvedOptions): Engine {
  const metadata = createMetadata(options);
  const now = options.now ?? Date.now;
  const { logger, clockTolerance, maxTokenLength } = options;
  const dpop =
    options.dpop === undefined
      ? undefined
      : createDpopCheck(options.dpop, { clockTolerance, maxLength: maxTokenLength, now });
  const rendering: ChallengeRendering = {
    realm: options.realm,
    resourceMetadata: options.resourceMetadata ?? metadata?.url,
    formatChallenge: options.formatChallenge,
    dpop: dpop?.rendering,
  };
  checkRendering(rendering);
  const levels = new AssuranceLevels(options.levels);
  // Each issuer's tokens are read and answered by its own rules (`issuers[i].assurance`).
  const rules = createIssuerRules(options.issuers, levels, options.levels);
  const cache = options.cache === false ? undefined : new TokenCache(options.cache.max, options.cache.admit);
  return {
    now,
    clockTolerance,
    maxTokenLength,
    logger,
    dpop,
    rendering,
    renderings: new Map([...rules].map(([issuer, r]) => [issuer, issuerRendering(r, rendering)])),
    contexts: dpop === undefined ? NO_SCHEMES : SCHEMES,
    levels,
    policies: new PolicyRegistry(options.operations, levels),
    rules,
    cache,
    verifier: createTokenVerifier({
      issuers: options.issuers,
      rules,
      clockTolerance,
      now,
      fetch: options.fetch ?? globalThis.fetch,
      cache,
      backend: options.backend,
    }),
    audit: createAuditReporter(options.audit, options.monotonic ?? (() => performance.now()), logger),
    recorder: {
      dpop,
      store: options.transactions.store ?? createMemoryReplayStore({ now }),
      tolerance: clockTolerance,
      logger,
    },
    metadata,
  };
}
