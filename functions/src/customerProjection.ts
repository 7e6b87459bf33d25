import { CUSTOMER_TICKETS, customerTicketView, hasCustomerProjection } from '@atende/core';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { toFirestore } from './firestoreCodec.ts';

type Data = Record<string, unknown>;

/**
 * Keeps `customerTickets/{id}` (core's customerTicketView) in step with a
 * web-chat ticket, in the ticket's own transaction: the only ticket
 * document a customer's rules let them read. `before` and `after` are the
 * ticket as the transaction read it and as it leaves it (null: none, or
 * deleted). Unchanged projections (`updatedAt` aside) are not rewritten.
 */
export const writeCustomerProjection = (t: Transaction, db: Firestore, ticketId: string, before: Data | null, after: Data | null): void => {
  const ref = db.collection(CUSTOMER_TICKETS).doc(ticketId);
  if (!after) {
    if (!before || hasCustomerProjection(before)) t.delete(ref);
    return;
  }
  if (!hasCustomerProjection(after)) return;
  const view = customerTicketView(after);
  if (before && hasCustomerProjection(before) && sameView(customerTicketView(before), view)) return;
  t.set(ref, toFirestore(CUSTOMER_TICKETS, view));
};

/** Two projections alike but for `updatedAt` (the widget shows nothing of it). */
const sameView = (a: Data, b: Data): boolean => {
  const { updatedAt: _a, ...restA } = a;
  const { updatedAt: _b, ...restB } = b;
  return stable(restA) === stable(restB);
};

const stable = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v));
