import { describe, expect, it } from 'vitest';
import { deliverOnce, providerKey, type CustomerActor } from '../src/index.ts';
import { makeWorld, staff } from './support.ts';

// The same rule on both kinds of store: Firestore finds a message by its provider keys with a query, SQLite keeps receipts.
describe.each([
  { store: 'with receipts (SQLite)', arrayIndexes: false },
  { store: 'by a query on the messages (Firestore)', arrayIndexes: true },
])('a provider message id finds its message, $store', ({ arrayIndexes }) => {
  const world = () => makeWorld({}, { arrayIndexes });

  it('a repeated webhook adds nothing and answers with the first message', async () => {
    const w = await world();
    const input = { channelId: 'zap2', externalId: '5511987654321', channelMessageId: 'wamid.in.1', text: 'Oi' };
    const first = await w.run({ kind: 'system' }, 'inbound.receive', input);
    const again = await w.run({ kind: 'system' }, 'inbound.receive', { ...input, text: 'Oi (de novo)' });
    expect(again).toMatchObject({ ticketId: first.ticketId, messageId: first.messageId, duplicate: true });
    const thread = w.messages(first.ticketId as string).filter((m) => m.direction === 'in');
    expect(thread.map((m) => m.text)).toEqual(['Oi']);
    expect(thread[0]!.providerKeys).toEqual([providerKey('zap2', 'wamid.in.1')]);
    expect(w.store.all('receipts')).toHaveLength(arrayIndexes ? 0 : 1);
  });

  it('the same id on another channel is another message', async () => {
    const w = await world();
    const a = await w.run({ kind: 'system' }, 'inbound.receive', { channelId: 'zap2', externalId: '5511987654321', channelMessageId: 'same-id', text: 'A' });
    const b = await w.run({ kind: 'system' }, 'inbound.receive', { channelId: 'zap', externalId: '5511987654321', channelMessageId: 'same-id', text: 'B' });
    expect(b.duplicate).toBe(false);
    expect(b.ticketId).not.toBe(a.ticketId);
  });

  it("a web-chat customer's own ids are theirs: another customer's same id is not a repeat", async () => {
    const w = await world();
    const as = (contactId: string): CustomerActor => ({ kind: 'customer', contactId, channelId: 'site' });
    await w.run({ kind: 'system' }, 'inbound.receive', { channelId: 'site', externalId: 'v1', channelMessageId: 'seed-1', text: 'Oi 1' });
    await w.run({ kind: 'system' }, 'inbound.receive', { channelId: 'site', externalId: 'v2', channelMessageId: 'seed-2', text: 'Oi 2' });
    const [c1, c2] = w.store.all('contacts').map((c) => c.id);
    const one = await w.run(as(c1!), 'inbound.receive', { channelId: 'site', externalId: 'v1', channelMessageId: 'client-1', text: 'de um' });
    const two = await w.run(as(c2!), 'inbound.receive', { channelId: 'site', externalId: 'v2', channelMessageId: 'client-1', text: 'de dois' });
    expect([one.duplicate, two.duplicate]).toEqual([false, false]);
    expect(await w.run(as(c1!), 'inbound.receive', { channelId: 'site', externalId: 'v1', channelMessageId: 'client-1', text: 'de um' })).toMatchObject({ duplicate: true, messageId: one.messageId });
  });

  it("a reply sent in parts is found by each part's id: statuses, reactions and quotes", async () => {
    const w = await world();
    const { ticketId } = await w.inbound('zap2', '5511987654321', 'Oi');
    await w.run(staff('alice'), 'ticket.transfer', { ticketId, assigneeId: 'ana' });
    const { message } = (await w.run(staff('ana'), 'message.send', { ticketId, text: 'Olá!' })) as { message: { id: string } };
    const sent = await deliverOnce(w.store, { ticketId, messageId: message.id }, w.deps.clock, {
      whatsapp: async () => ({ kind: 'sent', channelMessageId: 'wamid.part2', channelMessageIds: ['wamid.part1', 'wamid.part2'] }),
    });
    expect(sent).toBe('done');
    const reply = () => w.messages(ticketId).find((m) => m.id === message.id)!;
    expect(reply().providerKeys).toEqual([providerKey('zap2', 'wamid.part1'), providerKey('zap2', 'wamid.part2')]);
    expect(w.store.all('receipts').length).toBe(arrayIndexes ? 0 : 3);

    expect(await w.run({ kind: 'system' }, 'channel.status', { channelId: 'zap2', channelMessageId: 'wamid.part1', status: 'delivered' })).toMatchObject({ updated: true });
    expect(reply().status).toBe('delivered');
    // Another channel's report on the same id is not about this message.
    expect(await w.run({ kind: 'system' }, 'channel.status', { channelId: 'zap', channelMessageId: 'wamid.part2', status: 'read' })).toEqual({ updated: false });
    expect(await w.run({ kind: 'system' }, 'inbound.react', { channelId: 'zap2', targetChannelMessageId: 'wamid.part2', emoji: '👍' })).toMatchObject({ applied: true });
    expect(reply().reactions).toEqual([expect.objectContaining({ emoji: '👍', by: 'customer' })]);
    await w.run({ kind: 'system' }, 'inbound.receive', {
      channelId: 'zap2',
      externalId: '5511987654321',
      channelMessageId: 'wamid.in.quote',
      text: 'Sobre isso',
      replyToChannelMessageId: 'wamid.part1',
    });
    expect(w.messages(ticketId).find((m) => m.text === 'Sobre isso')?.quote).toMatchObject({ messageId: message.id });
  });

  it('a deletion finds the customer message by its id, and only that', async () => {
    const w = await world();
    const { ticketId, messageId } = await w.inbound('zap2', '5511987654321', 'Apague-me', { channelMessageId: 'mid.del' });
    expect(await w.run({ kind: 'system' }, 'inbound.deleted', { channelId: 'zap2', channelMessageId: 'mid.del' })).toEqual({ applied: true, reason: null });
    expect(w.messages(ticketId).find((m) => m.id === messageId)?.deletedAt).toBeTypeOf('number');
    expect(await w.run({ kind: 'system' }, 'inbound.deleted', { channelId: 'zap2', channelMessageId: 'mid.unknown' })).toMatchObject({ applied: false });
  });
});
