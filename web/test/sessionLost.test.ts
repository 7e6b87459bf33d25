import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useBackend } from '@/backend';
import { createLocalBackend } from '@/backend/local';
import { onSessionLost, reportSessionLost } from '@/backend/sessionLost';
import { useSessionStore } from '@/stores/session';
import { FakeBackend } from './fixtures';

afterEach(() => vi.unstubAllGlobals());

describe('a session that ends underneath the console', () => {
  it('the local driver reports a 401 on a command, not a wrong password', async () => {
    const seen: string[] = [];
    const stop = onSessionLost(() => seen.push('lost'));
    // The server's answer to a request without a live session (the edge of the world: fetch).
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'Sign in first' } }), { status: 401, headers: { 'content-type': 'application/json' } }));
    const local = createLocalBackend({ baseUrl: 'http://atende.test' });
    await expect(local.signIn('ana@atende.local', 'errada')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(seen).toEqual([]);
    await expect(local.run('ticket.accept', { ticketId: 't1' })).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(seen).toEqual(['lost']);
    stop();
  });

  it('ends the workspace and remembers why, so the login page can say it; a new sign-in forgets it', async () => {
    setActivePinia(createPinia());
    const fake = new FakeBackend();
    useBackend(fake);
    const session = useSessionStore();
    await session.signIn('ana@atende.local', 'atende123');
    expect(session.user).not.toBeNull();
    reportSessionLost();
    await vi.waitFor(() => expect(session.user).toBeNull());
    expect(session.ended).toBe('expired');
    await session.signIn('ana@atende.local', 'atende123');
    expect(session.ended).toBeNull();
    // Signing out on purpose is not "expired".
    const out = session.signOut();
    await vi.waitFor(() => expect(fake.commands.at(-1)?.name).toBe('presence.set'));
    fake.commands.at(-1)!.resolve({});
    await out;
    expect(session.user).toBeNull();
    expect(session.ended).toBeNull();
  });
});
