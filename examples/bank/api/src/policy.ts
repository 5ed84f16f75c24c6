import type { LevelOptions, Requirement, RequirementFn } from '@stepup/core';
import { BANK_LEVELS as LEVELS, type LevelNeed, payeeNeeds, transferNeeds } from '@stepup-example/contract';
import { z } from 'zod';
import { Amount } from './http/schemas.js';

export { HIGH_MAX_AGE, HIGH_VALUE_THRESHOLD } from '@stepup-example/contract';

/** The bank's levels, weakest first, with the authorization server's acr values (from the contract). */
export const BANK_LEVELS: LevelOptions[] = LEVELS.map((l) => ({ name: l.level, acr: [l.acr] }));

/** The contract's need as a `@stepup/core` requirement, with the route's scope. */
function requirement(needs: LevelNeed, scope: string): Requirement {
  return { level: needs.level.level, ...(needs.maxAge === undefined ? {} : { maxAge: needs.maxAge }), scope };
}

const WithAmount = z.object({ amount: Amount });

/**
 * A transfer up to 1,000.00 needs the standard level; above, the high level with a sign-in in the
 * last five minutes (the contract's `transferNeeds`). The amount is read with the same schema the
 * route validates with, so any body the route accepts gets the requirement its amount deserves; a
 * body without a valid amount gets the standard requirement here and a 400 from the route's
 * validation right after.
 */
export const transferRequirement: RequirementFn = ({ request }) => {
  const parsed = WithAmount.safeParse(request.body);
  return requirement(transferNeeds(parsed.success ? parsed.data.amount : 0), 'transfers:write');
};

/** The policy of every route, by operation name. */
export const BANK_OPERATIONS: Record<string, Requirement | RequirementFn> = {
  'accounts:read': { level: 'standard', scope: 'accounts:read' },
  'payees:read': { level: 'standard', scope: 'accounts:read' },
  'payees:create': requirement(payeeNeeds(), 'payees:write'),
  'transfers:create': transferRequirement,
};
