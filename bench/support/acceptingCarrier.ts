import type { Carrier, Message } from '@atende/core';
import type { Firestore } from 'firebase-admin/firestore';

/**
 * The WhatsApp Cloud API of bench/firestore.ts's life: it accepts every reply (a provider id back), so each reply's
 * outcome is the ✓ the thread shows. Without a carrier each delivery gave up (`not-configured`), and since a final
 * failure reads the ticket and marks its card (core `markLastFailed`), the life was counting a failure path.
 */
export const acceptingCarriers = (): { whatsapp: Carrier } => {
  let sent = 0;
  return { whatsapp: async () => ({ kind: 'sent', channelMessageId: `wamid.bench.out.${++sent}` }) };
};

/** Throws unless the ticket's `count` replies were all sent (read after the count stops). */
export const expectRepliesSent = async (db: Firestore, ticketId: string, count: number): Promise<void> => {
  const replies = (await db.collection(`tickets/${ticketId}/messages`).where('direction', '==', 'out').get()).docs.map((d) => d.data() as Message);
  const unsent = replies.filter((m) => m.status !== 'sent');
  if (replies.length !== count || unsent.length > 0)
    throw new Error(`the life's ${count} replies were not all sent: ${replies.length} replies, ${unsent.map((m) => `${m.text.slice(0, 20)}: ${m.status}`).join('; ')}`);
};
