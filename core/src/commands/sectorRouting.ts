import { refs } from '../store/refs.ts';
import type { Tx } from '../store/types.ts';

interface Routing {
  sectorId: string;
  available: boolean;
  overflowSectorId: string | null;
}

/** C5: what routing needs to know of the target sector, read before any write. */
export const loadRouting = async (tx: Tx, sectorId: string): Promise<Routing> => {
  const sector = await tx.get(refs.sector(sectorId));
  const overflowSectorId = sector?.overflowSectorId ?? null;
  // Whether anyone is online matters only when there is somewhere to overflow to (the query is a billed read on Firestore).
  if (overflowSectorId === null) return { sectorId, available: true, overflowSectorId };
  const online = await tx.query({
    collection: 'users',
    where: [['sectorIds', 'array-contains', sectorId], ['presence', '==', 'online']],
    orderBy: [],
    limit: 1,
  });
  return { sectorId, available: online.length > 0, overflowSectorId };
};

export const route = (r: Routing): { sectorId: string; overflow: boolean } =>
  !r.available && r.overflowSectorId ? { sectorId: r.overflowSectorId, overflow: true } : { sectorId: r.sectorId, overflow: false };
