import { CommandError, CUSTOMER_TICKETS, customerTicketView, hasCustomerProjection, Id, parseOrThrow, refs, widgetContact, widgetIdentityKey, WidgetVisitor } from '@atende/core';
import type { Firestore } from 'firebase-admin/firestore';
import { storeOf, type CallerAuth, type Deps } from './deps.ts';
import { fromFirestore, toFirestore } from './store.ts';
import { fileKeyFor } from './fileKeys.ts';

export const WIDGET_SESSION = 'widget.session';

const WidgetSessionInput = WidgetVisitor.extend({ channelId: Id });

/**
 * The widget's visitor signs in anonymously (Firebase Auth), then calls this
 * once: it creates their contact on the web-chat channel and gives the
 * account the `customer` claim the rules and `command` read. The visitor
 * refreshes the ID token afterwards. Calling it again resumes the session.
 * The answer carries the visitor's first file-link key.
 */
export const startWidgetSession = async (
  deps: Deps,
  auth: CallerAuth | undefined,
  raw: unknown,
): Promise<{ contactId: string; channel: { id: string; name: string; type: string }; fileKey: string; fileKeyExpiresAt: number }> => {
  if (!auth) throw new CommandError('unauthenticated', 'Sign in (anonymously) first');
  const input = parseOrThrow(WidgetSessionInput, raw);
  if (typeof auth.token.role === 'string') throw new CommandError('failed-precondition', 'Staff accounts do not open widget sessions');
  const identityKey = widgetIdentityKey(input.channelId, auth.uid);
  const now = deps.clock();
  const { contactId, channel, resumed } = await storeOf(deps.db).transaction(async (tx) => {
    const channel = await tx.get(refs.channel(input.channelId));
    if (!channel || !channel.active || channel.type !== 'webchat')
      throw new CommandError('not-found', `Web chat ${input.channelId} does not exist`, [{ path: 'channelId', message: 'no such web chat' }]);
    const [existing] = await tx.query({ collection: 'contacts', where: [['identityKeys', 'array-contains', identityKey]], orderBy: [], limit: 1 });
    if (existing) return { contactId: existing.id, channel, resumed: true };
    const id = deps.newId();
    tx.create(refs.contact(id), widgetContact(input, input.channelId, auth.uid, id, now));
    return { contactId: id, channel, resumed: false };
  });
  if (resumed) await backfillProjections(deps.db, contactId, channel.id);
  await deps.auth.setClaims(auth.uid, { customer: { contactId, channelId: channel.id } });
  // File links carry this short-lived key, never the visitor's ID token (`files.key` renews it).
  const key = await fileKeyFor(deps, { kind: 'customer', contactId, channelId: channel.id });
  return { contactId, channel: { id: channel.id, name: channel.name, type: channel.type }, ...key };
};

/** At most this many of a returning visitor's tickets are looked at for a missing projection. */
export const PROJECTION_BACKFILL_LIMIT = 50;

/**
 * Tickets written before `customerTickets` existed (a deployment upgraded
 * from an earlier version) have no projection, so their customer would see
 * an empty chat. When that customer comes back, the missing projections are
 * written from the tickets, in one transaction (a ticket command writing the
 * projection at the same moment makes it retry, never lose the newer view).
 */
export const backfillProjections = async (db: Firestore, contactId: string, channelId: string): Promise<number> =>
  db.runTransaction(async (tx) => {
    const tickets = await tx.get(db.collection('tickets').where('contactId', '==', contactId).where('channelId', '==', channelId).limit(PROJECTION_BACKFILL_LIMIT));
    const wanted = tickets.docs.filter((d) => hasCustomerProjection(d.data()));
    if (wanted.length === 0) return 0;
    const views = wanted.map((d) => db.collection(CUSTOMER_TICKETS).doc(d.id));
    const existing = await tx.getAll(...views);
    let written = 0;
    existing.forEach((view, i) => {
      if (view.exists) return;
      tx.set(views[i]!, toFirestore(CUSTOMER_TICKETS, customerTicketView(fromFirestore('tickets', wanted[i]!.data()))));
      written++;
    });
    return written;
  });
