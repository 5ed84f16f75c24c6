import type { JWTPayload } from 'jose';
import { StepUpError } from '../errors.js';
import type { AssuranceLevels, LevelDefinition } from '../policy/levels.js';
import type { EvidenceSource, ResolvedAssurance, UntypedTokens } from './schema.js';

/** What `createIssuerRules` needs of a validated issuer entry. */
export interface IssuerRuleOptions {
  readonly issuer: string;
  readonly assurance?: ResolvedAssurance | undefined;
  readonly untypedTokens?: UntypedTokens | undefined;
}

/** The rules of an issuer without `assurance`: `acr` read with `levels[].acr`, `auth_time`, RFC 9470. */
const DEFAULT_ASSURANCE: ResolvedAssurance = { from: 'acr', freshness: 'auth_time', challenge: 'rfc9470' };

/**
 * How one issuer's tokens are read: which claim states the level (`acr`, `acrs`, `amr`, `scope`, or
 * nothing), with which values per named level, which claim says when the user authenticated, how a
 * failure is answered, and what marks an access token when the issuer sends no `typ`. Built once per
 * issuer at construction from `issuers[i].assurance` (see `assuranceSchemas`); immutable.
 *
 * Levels stay ordered as `levels` lists them: a token reaches the highest level whose values it
 * presents (any one of them), every level below it, and `baseline` (and below) without evidence.
 */
export class IssuerRules {
  readonly issuer: string;
  readonly source: EvidenceSource;
  readonly freshness: ResolvedAssurance['freshness'];
  readonly challenge: ResolvedAssurance['challenge'];
  readonly untyped: UntypedTokens | undefined;
  readonly #levels: AssuranceLevels;
  readonly #rankOf = new Map<string, number>();
  readonly #canonical: (string | undefined)[];
  readonly #baseline: number;
  /** `challengeValues` by level (a handful of names): computed once, asked on every decision. */
  readonly #challenges = new Map<string, readonly string[]>();

  constructor(options: IssuerRuleOptions, levels: AssuranceLevels, definitions: readonly LevelDefinition[]) {
    const assurance = options.assurance ?? DEFAULT_ASSURANCE;
    this.issuer = options.issuer;
    this.source = assurance.from;
    this.freshness = assurance.freshness;
    this.challenge = assurance.challenge;
    this.untyped = options.untypedTokens;
    this.#levels = levels;
    // `from: 'acr'` without its own values uses the global mapping: exactly the behaviour before profiles.
    const own = assurance.levels;
    const valuesOf = (level: LevelDefinition): readonly string[] =>
      own === undefined ? (this.source === 'acr' ? level.acr : []) : (own[level.name] ?? []);
    this.#canonical = definitions.map((level, rank) => {
      const values = valuesOf(level);
      for (const value of values) this.#rankOf.set(value, rank);
      return values[0];
    });
    this.#baseline = assurance.baseline === undefined ? -1 : levels.rank(assurance.baseline);
  }

  /**
   * The values a verified token presents as evidence, or `undefined` when its evidence claim is absent
   * (a missing `acr` is *insufficient*, never a pass). Claim types were checked by `toVerifiedToken`.
   */
  evidence(claims: Readonly<JWTPayload>, scopes: ReadonlySet<string>): ReadonlySet<string> | undefined {
    switch (this.source) {
      case 'acr':
        return typeof claims.acr === 'string' ? new Set([claims.acr]) : undefined;
      case 'acrs':
      case 'amr': {
        const values = claims[this.source];
        return Array.isArray(values) ? new Set(values.map(String)) : undefined;
      }
      case 'scope':
        return scopes;
      default:
        return undefined;
    }
  }

  /** `levelOf(evidence(claims, scopes))`, without building a set for a single `acr`. */
  levelFor(claims: Readonly<JWTPayload>, scopes: ReadonlySet<string>): string | undefined {
    if (this.source !== 'acr') return this.levelOf(this.evidence(claims, scopes));
    const { acr } = claims;
    const best = Math.max(this.#baseline, typeof acr === 'string' ? (this.#rankOf.get(acr) ?? -1) : -1);
    return best < 0 ? undefined : this.#levels.names[best];
  }

  /** The highest named level the evidence reaches (at least `baseline`), or `undefined`. */
  levelOf(evidence: ReadonlySet<string> | undefined): string | undefined {
    let best = this.#baseline;
    for (const value of evidence ?? []) best = Math.max(best, this.#rankOf.get(value) ?? -1);
    return best < 0 ? undefined : this.#levels.names[best];
  }

  /** Whether a token of named level `level` (from `levelOf`) meets a requirement of `required`. */
  reaches(level: string | undefined, required: string): boolean {
    return level !== undefined && this.#levels.rank(level) >= this.#levels.rank(required);
  }

  /**
   * What a client asks this issuer for to reach `level`: the canonical (first) value of it and of each
   * level above that has values, weakest first, in this issuer's vocabulary (acr values, Entra
   * authentication contexts, scopes). Empty when the issuer states no level.
   */
  challengeValues(level: string): readonly string[] {
    let values = this.#challenges.get(level);
    if (values === undefined) {
      const above = this.#canonical.slice(this.#levels.rank(level));
      values = Object.freeze(above.filter((value): value is string => value !== undefined));
      this.#challenges.set(level, values);
    }
    return values;
  }

  /** Whether this issuer's tokens can say when the user authenticated (no `maxAge` otherwise). */
  get provesFreshness(): boolean {
    const { freshness } = this;
    return freshness === 'auth_time' || (typeof freshness === 'object' && 'claim' in freshness);
  }

  /**
   * Refuses a computed requirement that asks `maxAge` of an issuer that cannot prove freshness: a
   * programming error (static requirements are refused at construction), never a step-up loop.
   * @throws StepUpError `ERR_POLICY_INVALID`
   */
  checkProvable(operation: string, maxAge: number | undefined): void {
    if (maxAge === undefined || this.provesFreshness) return;
    throw new StepUpError('ERR_POLICY_INVALID', 'Internal error: a computed requirement is invalid', {
      details: { operation, path: 'maxAge' },
      cause: new Error(
        `issuer ${this.issuer} cannot prove when the user authenticated: ${this.freshnessReason}`,
      ),
    });
  }

  /** Why this issuer cannot prove freshness, for error messages. */
  get freshnessReason(): string {
    const { freshness } = this;
    return typeof freshness === 'object' && 'none' in freshness
      ? freshness.none
      : 'its tokens carry no claim that says when the user authenticated';
  }
}

/** Builds the rules of every issuer, keyed by `issuer`. */
export function createIssuerRules(
  issuers: readonly IssuerRuleOptions[],
  levels: AssuranceLevels,
  definitions: readonly LevelDefinition[],
): ReadonlyMap<string, IssuerRules> {
  return new Map(issuers.map((issuer) => [issuer.issuer, new IssuerRules(issuer, levels, definitions)]));
}
