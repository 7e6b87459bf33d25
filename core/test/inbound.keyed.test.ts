import { describe, expect, it } from 'vitest';
import { commandRegistry, executeCommand } from '../src/index.ts';
import { countingReads, makeWorld, staff } from './support.ts';

/**
 * Where every field is indexed (Firestore: `tx.fieldIndexes`), a customer's message finds their live ticket by the key
 * they write from (`Ticket.customerKey`), and that ticket says who they are: the contact is not read. Anything it does
 * not find goes the contact's way, as on SQLite, with the same outcome.
 */
describe('a customer message finds its live ticket by the key it comes from (Firestore)', () => {
  const world = () => makeWorld({}, { arrayIndexes: true, fieldIndexes: true });
  const receive = async (w: Awaited<ReturnType<typeof world>>, externalId: string, text: string) => {
    const { counting, reads } = countingReads(w.store);
    const result = (await executeCommand(commandRegistry, { ...w.deps, store: counting }, { kind: 'system' }, 'inbound.receive', {
      channelId: 'zap2',
      externalId,
      contact: { name: 'Rita' },
      channelMessageId: `wamid.${text}`,
      text,
    })) as { ticketId: string; messageId: string };
    return { ...result, reads, message: w.messages(result.ticketId).find((m) => m.id === result.messageId)! };
  };

  it('reads no contact for a message to a live ticket, and records it exactly as the contact would', async () => {
    const w = await world();
    const first = await receive(w, '5511987654321', 'Oi');
    expect(first.reads).toContain('query contacts');
    const second = await receive(w, '5511987654321', 'Tudo bem?');
    expect(second.ticketId).toBe(first.ticketId);
    expect(second.reads).not.toContain('query contacts');
    expect(second.reads.filter((r) => r === 'query tickets')).toHaveLength(1);
    expect(second.message).toMatchObject({ contactId: first.message.contactId, authorName: 'Rita' });
    expect(w.ticket(first.ticketId)).toMatchObject({ customerKey: 'zap2:5511987654321', unread: 0, lastMessage: { text: 'Tudo bem?' } });
  });

  it('a name changed in the contact reaches the next message through the live ticket', async () => {
    const w = await world();
    const first = await receive(w, '5511987654321', 'Oi');
    await w.run(staff('alice'), 'contact.update', { contactId: first.message.contactId, name: 'Rita Souza' });
    expect((await receive(w, '5511987654321', 'Alô')).message.authorName).toBe('Rita Souza');
  });

  it('another form of the number, or no live ticket, goes through the contact: same ticket, or a new one for the same contact', async () => {
    const w = await world();
    const first = await receive(w, '5511987654321', 'Oi');
    const variant = await receive(w, '551187654321', 'Sem o nove');
    expect(variant.ticketId).toBe(first.ticketId);
    expect(variant.reads).toContain('query contacts');
    await w.run(staff('alice'), 'ticket.transfer', { ticketId: first.ticketId, assigneeId: 'ana' });
    await w.run(staff('ana'), 'ticket.close', { ticketId: first.ticketId });
    const after = await receive(w, '5511987654321', 'Voltei');
    expect(after.ticketId).not.toBe(first.ticketId);
    expect(after.message.contactId).toBe(first.message.contactId);
  });
});
