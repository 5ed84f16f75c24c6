import type { LevelOptions, Requirement, RequirementFn } from '@stepup/core';
import { ACR_HIGH, ACR_STANDARD } from '@stepup-example/auth-server/assurance';
import { z } from 'zod';
import { Amount } from './http/schemas.js';

/** Transfers above this many minor units (1,000.00) need the high level. */
export const HIGH_VALUE_THRESHOLD = 100_000;

/** Seconds a high-level sign-in stays good for sensitive operations. */
export const HIGH_MAX_AGE = 300;

/** The bank's levels, weakest first, with the authorization server's acr values. */
export const BANK_LEVELS: LevelOptions[] = [
  { name: 'standard', acr: [ACR_STANDARD] },
  { name: 'high', acr: [ACR_HIGH] },
];

const WithAmount = z.object({ amount: Amount });

/**
 * A transfer up to 1,000.00 needs the standard level; above, the high level with a sign-in in the
 * last five minutes. The amount is read with the same schema the route validates with, so any body
 * the route accepts gets the requirement its amount deserves; a body without a valid amount gets the
 * standard requirement here and a 400 from the route's validation right after.
 */
export const transferRequirement: RequirementFn = ({ request }) => {
  const parsed = WithAmount.safeParse(request.body);
  return parsed.success && parsed.data.amount > HIGH_VALUE_THRESHOLD
    ? { level: 'high', maxAge: HIGH_MAX_AGE, scope: 'transfers:write' }
    : { level: 'standard', scope: 'transfers:write' };
};

/** The policy of every route, by operation name. */
export const BANK_OPERATIONS: Record<string, Requirement | RequirementFn> = {
  'accounts:read': { level: 'standard', scope: 'accounts:read' },
  'payees:read': { level: 'standard', scope: 'accounts:read' },
  'payees:create': { level: 'high', maxAge: HIGH_MAX_AGE, scope: 'payees:write' },
  'transfers:create': transferRequirement,
};
