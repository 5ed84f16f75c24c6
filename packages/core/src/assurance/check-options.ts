import type { z } from 'zod';
import type { LevelDefinition } from '../policy/levels.js';
import type { ResolvedAssurance } from './schema.js';

/** The parts of the parsed engine options that the per-issuer rules depend on. */
export interface AssuranceContext {
  readonly issuers: readonly {
    readonly issuer: string;
    readonly assurance?: ResolvedAssurance | undefined;
  }[];
  readonly levels: readonly LevelDefinition[];
  readonly operations: Readonly<Record<string, unknown>>;
  readonly formatChallenge?: unknown;
}

type Path = (string | number)[];

/** Whether an issuer reads levels from `acr` with the global `levels[].acr` mapping. */
const usesGlobalAcr = (assurance: ResolvedAssurance | undefined) =>
  assurance === undefined || (assurance.from === 'acr' && assurance.levels === undefined);

function checkIssuer(
  assurance: ResolvedAssurance,
  at: Path,
  names: ReadonlySet<string>,
  issue: (path: Path, message: string) => void,
): void {
  const { from, levels, baseline, challenge } = assurance;
  if (baseline !== undefined && !names.has(baseline)) issue([...at, 'baseline'], `unknown level ${baseline}`);
  if (from === 'none' && levels !== undefined)
    issue([...at, 'levels'], 'from: none reads no evidence: remove levels (use baseline)');
  if (from !== 'acr' && from !== 'none' && levels === undefined)
    issue([...at, 'levels'], `required when from is ${from}: the ${from} values of each level`);
  const seen = new Map<string, string>();
  for (const [level, values] of Object.entries(levels ?? {})) {
    if (!names.has(level)) issue([...at, 'levels', level], `unknown level ${level}`);
    for (const value of values) {
      const other = seen.get(value);
      if (other !== undefined) issue([...at, 'levels', level], `${value} is also in level ${other}`);
      seen.set(value, level);
    }
  }
  if (typeof challenge === 'object' && from !== 'acrs')
    issue([...at, 'challenge'], "Entra's claims challenge asks for acrs: it needs from: 'acrs'");
}

/**
 * The cross-field checks of `issuers[i].assurance`, run in the options' `superRefine`, so that a level
 * mapping that can never be met, or a `maxAge` an issuer cannot prove, fails at construction:
 * - `levels` and `baseline` name known levels; a value is in one level only; `from` other than `acr`
 *   and `none` lists its values; Entra's challenge goes with `from: 'acrs'`;
 * - when an issuer reads `acr` with the global mapping, every level has `acr` values;
 * - a static requirement with `maxAge` is refused when an issuer cannot prove freshness (its reason in
 *   the message): a computed requirement can ask `maxAge` of the other issuers only;
 * - a global `formatChallenge` and a per-issuer `challenge` are exclusive (one would silently win).
 */
export function checkAssurance(options: AssuranceContext, ctx: z.RefinementCtx): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const names = new Set(options.levels.map((level) => level.name));
  options.issuers.forEach(({ issuer, assurance }, i) => {
    if (assurance !== undefined) checkIssuer(assurance, ['issuers', i, 'assurance'], names, issue);
    if (assurance !== undefined && assurance.challenge !== 'rfc9470' && options.formatChallenge !== undefined)
      issue(['formatChallenge'], `exclusive with issuers.${i}.assurance.challenge (${issuer})`);
    if (!usesGlobalAcr(assurance)) return;
    options.levels.forEach((level, l) => {
      if (level.acr.length === 0)
        issue(
          ['levels', l, 'acr'],
          `issuer ${issuer} reads this level from acr: give it acr values or map it in issuers.${i}.assurance.levels`,
        );
    });
  });
  const blind = options.issuers.find(
    ({ assurance }) => assurance?.freshness === 'none' || noneReason(assurance),
  );
  if (blind === undefined) return;
  for (const [operation, requirement] of Object.entries(options.operations)) {
    if (typeof requirement !== 'object' || requirement === null || !('maxAge' in requirement)) continue;
    if (requirement.maxAge === undefined) continue;
    issue(
      ['operations', operation, 'maxAge'],
      `issuer ${blind.issuer} cannot prove when the user authenticated (${noneReason(blind.assurance) ?? 'freshness: none'}); ` +
        'compute the requirement from { token } to ask maxAge only of the issuers that can',
    );
  }
}

function noneReason(assurance: ResolvedAssurance | undefined): string | undefined {
  const freshness = assurance?.freshness;
  return typeof freshness === 'object' && 'none' in freshness ? freshness.none : undefined;
}
