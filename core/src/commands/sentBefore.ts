import type { Message, Ticket } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import type { Tx } from '../store/types.ts';

/** How many of a ticket's last agent sends are remembered by client id (a retried send comes within seconds). */
export const RECENT_SENDS = 20;

/**
 * A retried send (the same `clientId`) returns the message already stored.
 * The ticket, which every send reads anyway, remembers its last sends'
 * client ids (`recentSends`), so a first send costs no lookup: on Firestore a
 * query that finds nothing is still a billed read, on every send. A ticket
 * written before the field existed looks its thread up once; its next send
 * writes the field.
 */
export const sentBefore = async (tx: Tx, ticket: Ticket, clientId: string | null): Promise<Message | null> => {
  if (!clientId) return null;
  if (ticket.recentSends) {
    const hit = ticket.recentSends.find((s) => s.clientId === clientId);
    return hit ? tx.get(refs.message(ticket.id, hit.messageId)) : null;
  }
  return (await tx.query({ collection: 'messages', parentId: ticket.id, where: [['clientId', '==', clientId]], orderBy: [], limit: 1 }))[0] ?? null;
};

/** The ticket's `recentSends` after this send (unchanged without a client id). */
export const rememberSend = (ticket: Ticket, message: Pick<Message, 'id' | 'clientId'>): Pick<Ticket, 'recentSends'> =>
  message.clientId ? { recentSends: [...(ticket.recentSends ?? []), { clientId: message.clientId, messageId: message.id }].slice(-RECENT_SENDS) } : ticket.recentSends ? { recentSends: ticket.recentSends } : {};
