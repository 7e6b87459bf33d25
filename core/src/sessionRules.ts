/**
 * Whether a change to a staff member takes away something their sessions
 * were opened with: deactivation, another role, or a sector removed. Their
 * sessions (embedded server) or refresh tokens (Firebase) then end for good;
 * a reactivated user signs in again. Adding a sector ends nothing.
 */
export const takesRightsAway = (
  before: { role: string; sectorIds: readonly string[] },
  after: { role: string; sectorIds: readonly string[]; active?: boolean } | null,
): boolean => after === null || after.active === false || after.role !== before.role || before.sectorIds.some((s) => !after.sectorIds.includes(s));
