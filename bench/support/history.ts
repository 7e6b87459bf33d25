import { addMessage, createIdGenerator, newMessage } from '@atende/core';
import { buildApp } from '../../server/src/app.ts';

/**
 * Fills the data dir with past conversation lines, straight through the
 * server's own Store port (the app built on the data dir, no HTTP), while the
 * server process is stopped: pushing 100,000 messages through the widget
 * would take minutes on a busy 2-core machine and measures nothing new.
 * Spread over the existing tickets, dated before them, so live threads keep
 * their latest page.
 */
export const addHistory = async (dataDir: string, count: number): Promise<void> => {
  const app = await buildApp({ dataDir, logger: false, webDist: dataDir });
  try {
    await app.ready();
    const tickets = app.db.prepare("SELECT id, json_extract(data, '$.contactId') AS contactId, json_extract(data, '$.createdAt') AS createdAt FROM tickets").all() as {
      id: string;
      contactId: string;
      createdAt: number;
    }[];
    if (tickets.length === 0) throw new Error('no tickets to add history to');
    const start = Math.min(...tickets.map((t) => t.createdAt)) - 30 * 24 * 3600_000;
    const newId = createIdGenerator(() => start);
    for (let made = 0; made < count; ) {
      const batch = Math.min(2000, count - made);
      await app.store.transaction(async (tx) => {
        for (let i = 0; i < batch; i++) {
          const t = tickets[(made + i) % tickets.length]!;
          const inbound = (made + i) % 2 === 0;
          addMessage(
            tx,
            newMessage({
              id: newId(),
              ticketId: t.id,
              contactId: t.contactId,
              direction: inbound ? 'in' : 'out',
              createdAt: start + made + i,
              text: inbound ? `Mensagem antiga ${made + i} do cliente: o pedido chegou com defeito, podem ajudar?` : `Resposta antiga ${made + i}: claro, vamos verificar.`,
              authorName: inbound ? null : 'Ana Souza',
              status: inbound ? 'delivered' : 'sent',
            }),
          );
        }
      });
      made += batch;
    }
  } finally {
    await app.close();
  }
};
