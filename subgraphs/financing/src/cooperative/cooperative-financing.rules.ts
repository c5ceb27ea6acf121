import { ruleViolation } from '@kopdes/kit';
import type { Tx } from '../db';

/**
 * The cooperative's row in the bank's own register, locked for this transaction unless `lock` is
 * false. Financing cannot see the registry's database: a cooperative it has no FinancingProfile
 * for is unknown here.
 */
export async function knownProfile(tx: Tx, cooperativeId: string, { lock = true } = {}) {
  if (lock) await tx.$queryRawUnsafe('SELECT 1 FROM "FinancingProfile" WHERE "cooperativeId" = $1 FOR UPDATE', cooperativeId);
  const profile = await tx.financingProfile.findUnique({ where: { cooperativeId } });
  if (!profile) {
    throw ruleViolation(
      'unknown_cooperative',
      `Cooperative ${cooperativeId} is not in the financing register; check the registry id (e.g. "KDMP-35.14.01.2001").`,
    );
  }
  return profile;
}
