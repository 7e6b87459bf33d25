// @vitest-environment node
/**
 * The conversation store on the Firebase driver, against the in-process
 * Firestore emulator with the real functions (conformance/firestore.ts): the
 * open thread is read from its ticket's copy of the newest lines, so the
 * thread's own listener reads nothing while the conversation goes on; after
 * the close only the lines after the copy's newest are read.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { firestoreHarness, type FirestoreHarness } from '../../conformance/firestore.ts';
import { useBackend, type Backend } from '@/backend';
import { useConversationStore } from '@/stores/conversation';
import { useTicketsStore } from '@/stores/tickets';
import { user } from './fixtures';

let h: FirestoreHarness;
let ana: Backend;
/** Listener reads by query, as Firestore bills them (the driver's meter, as the bench counts). */
const reads: Record<string, number> = {};

beforeAll(async () => {
  h = await firestoreHarness();
  ana = await h.signIn('ana@atende.local', undefined, { meter: (query, n) => void (reads[query] = (reads[query] ?? 0) + n) });
});
afterAll(async () => {
  await h?.close();
});

describe('the conversation store on Firestore', () => {
  it('shows the thread from the ticket Em atendimento carries, the close line too (a closed ticket keeps its copy): the thread is never read', async () => {
    setActivePinia(createPinia());
    useBackend(ana);
    const tickets = useTicketsStore();
    tickets.start(user({ id: 'ana', sectorIds: ['suporte'] }));
    await vi.waitFor(() => expect(tickets.loaded.mine).toBe(true));
    const { ticketId } = await h.inbound({ channelId: 'site', externalId: 'copy-1', name: 'Cliente Cópia', text: 'Oi, preciso de ajuda' });
    await h.settled();
    await tickets.accept(ticketId);

    const conversation = useConversationStore();
    conversation.open(ticketId);
    const texts = () => conversation.threadOf(ticketId).map((m) => m.text);
    await vi.waitFor(() => expect(texts()).toContain('Oi, preciso de ajuda'), { timeout: 10_000 });

    await h.inbound({ channelId: 'site', externalId: 'copy-1', name: 'Cliente Cópia', text: 'É sobre a fatura' });
    await vi.waitFor(() => expect(texts()).toContain('É sobre a fatura'), { timeout: 10_000 });
    await conversation.send(ticketId, 'Claro, vou verificar');
    await h.settled();
    await vi.waitFor(() => expect(conversation.threadOf(ticketId).find((m) => m.text === 'Claro, vou verificar')).toMatchObject({ status: expect.not.stringMatching(/pending/) }));
    expect(conversation.pending.get(ticketId) ?? []).toEqual([]);
    expect(reads['messages.ofTicket'] ?? 0).toBe(0);
    expect(reads['messages.revisedOfTicket']).toBeGreaterThanOrEqual(1);

    const before = conversation.threadOf(ticketId).length;
    await tickets.close(ticketId, null);
    await vi.waitFor(() => expect(conversation.threadOf(ticketId).map((m) => m.event?.kind)).toContain('closed'), { timeout: 10_000 });
    // Nothing left the screen, and the close line came with the ticket (it lives in its copy alone).
    const thread = conversation.threadOf(ticketId);
    expect(thread.length).toBeGreaterThan(before);
    expect(reads['messages.ofTicket'] ?? 0).toBe(0);
    tickets.stop();
    conversation.reset();
  });
});
