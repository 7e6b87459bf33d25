// @vitest-environment node
/**
 * The widget's Firebase transport (Firestore's REST API read in rounds, no
 * SDK), under Node, against @firestore-emulator/server (started in-process,
 * as functions/test and conformance/firestore.ts do) behind a REST front
 * (functions/test/support/firestoreRest.ts). What stands in for
 * Google's services: Firebase Auth (an anonymous visitor whose ID token
 * carries the claims it had at its last refresh) and the callable runtime
 * (the real `command` handler, its errors shaped as the Functions SDK
 * throws them). The emulator has no rules: the refusals seen here are core's
 * catalogue authorization, which the widget runs before every listener.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { effectScope } from '@vue/reactivity';
import { createIdGenerator, seedDemo, type Message } from '@atende/core';
import { failureOf, handleCommand, handleFileRequest, storeOf, type CallerAuth, type Deps } from '../../functions/src/handlers.ts';
import { PROJECT_ID, startEmulator, type Emulator } from '../../functions/test/support/emulator.ts';
import { startFirestoreRest, type FirestoreRestServer } from '../../functions/test/support/firestoreRest.ts';
import { MemoryAuth } from '../../conformance/firestore.ts';
import { createFirebaseTransport, type VisitorAuth, type VisitorSession } from '../src/widget/firebase.ts';
import type { LiveListener, WidgetLive } from '../src/widget/live.ts';
import { useConversation } from '../src/widget/useConversation.ts';

let emulator: Emulator;
let deps: Deps;
let auth: MemoryAuth;
let storage: Server;
let rest: FirestoreRestServer;
const puts: { path: string; type: string | undefined; body: string }[] = [];
let visitors = 0;

/** The command handler as a staff member calls it through the callable. */
const asStaff = (uid: string, name: string, input: unknown) => handleCommand(deps, { uid, token: {} }, { name, input }) as Promise<Record<string, unknown>>;

/** One browser: the transport on the emulator's REST front, an anonymous account that persists while the "browser" lives, the callable. */
const browser = () => {
  visitors++;
  let session: VisitorSession | null = null;
  const visitorAuth: VisitorAuth = {
    current: async () => session,
    async signIn() {
      session = { uid: `anon-${visitors}-${Math.random().toString(36).slice(2, 8)}`, claims: {} };
      return session;
    },
    async refresh() {
      if (session) session = { uid: session.uid, claims: { ...(auth.claims.get(session.uid) ?? {}) } };
      return session;
    },
    idToken: async () => (session ? `token-of-${session.uid}` : null),
  };
  const caller = (): CallerAuth | undefined => (session ? { uid: session.uid, token: session.claims } : undefined);
  const transport = createFirebaseTransport({
    projectId: PROJECT_ID,
    firestoreUrl: rest.url,
    poll: { interval: () => 50 },
    auth: visitorAuth,
    call: async (name, input) => {
      try {
        // The Functions SDK's encoding: an undefined property travels as null.
        const data = JSON.parse(JSON.stringify({ name, input }, (_k, v: unknown) => (v === undefined ? null : v))) as unknown;
        return await handleCommand(deps, caller(), data);
      } catch (e) {
        const f = failureOf(e);
        throw { code: `functions/${f.code}`, message: f.message, details: f.details };
      }
    },
    filesBase: 'https://acme.web.app',
    online: () => true,
  });
  return { transport, visitorAuth, session: () => session };
};

/** Collects what a live subscription tells. */
const watch = (live: WidgetLive, query: string, params: Record<string, unknown>) => {
  const seen = { docs: new Map<string, Record<string, unknown>>(), snapshots: 0, error: null as { code: string } | null };
  const listener: LiveListener = (event) => {
    if (event.type === 'snapshot') {
      seen.snapshots++;
      seen.docs = new Map(event.docs.map((d) => [d.id as string, d]));
    } else if (event.type === 'changes')
      for (const c of event.changes) {
        const d = c.doc as { id: string } & Record<string, unknown>;
        if (c.type === 'removed') seen.docs.delete(d.id);
        else seen.docs.set(d.id, d);
      }
    else seen.error = event.error;
  };
  const stop = live.subscribe(query, params, listener);
  return { seen, stop };
};

const startVisitor = async (name: string, details: { email?: string; phone?: string } = {}) => {
  const b = browser();
  expect(await b.transport.channel('site')).toMatchObject({ id: 'site', name: '' });
  const { token, contactId } = await b.transport.session('site', { name, ...details });
  return { ...b, token, contactId };
};

// The emulator starts and the demo is seeded here: on a loaded CI machine that takes longer than the default 10 s hook timeout.
beforeAll(async () => {
  emulator = await startEmulator();
  auth = new MemoryAuth();
  storage = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      puts.push({ path: req.url ?? '', type: req.headers['content-type'], body });
      res.writeHead(req.method === 'PUT' ? 200 : 405).end();
    });
  });
  await new Promise<void>((r) => storage.listen(0, '127.0.0.1', r));
  const storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;
  deps = {
    db: emulator.db,
    auth,
    clock: Date.now,
    newId: createIdGenerator(),
    signUpload: async (path, contentType) => `${storageUrl}/${path}?signed-for=${encodeURIComponent(contentType)}`,
  };
  await seedDemo({ store: storeOf(emulator.db), clock: deps.clock, newId: deps.newId });
  rest = await startFirestoreRest(emulator.db, PROJECT_ID);
}, 60_000);

afterAll(async () => {
  await rest?.close();
  await new Promise((r) => storage.close(r));
  await emulator?.stop();
}, 60_000);

describe('widget on Firebase', () => {
  it('starts a session: the anonymous visitor gets a contact and the customer claim, and the channel is then readable', async () => {
    const v = await startVisitor('Vera Lúcia', { email: 'Vera@Example.com', phone: '' });
    expect(v.token).toBe(v.session()!.uid);
    expect(auth.claims.get(v.token)).toEqual({ customer: { contactId: v.contactId, channelId: 'site' } });
    // Refreshed: the token the widget now holds carries the claim the rules read.
    expect(v.session()!.claims).toMatchObject({ customer: { contactId: v.contactId } });
    expect((await emulator.db.doc(`contacts/${v.contactId}`).get()).data()).toMatchObject({ name: 'Vera Lúcia', email: 'vera@example.com', phone: null, identityKeys: [`site:${v.token}`] });
    expect(await v.transport.channel('site')).toEqual({ id: 'site', name: 'Chat do site', type: 'webchat' });
  });

  it('sends a message: the ticket appears live with its protocol, the echo carries the client id, and an agent reply arrives', async () => {
    const v = await startVisitor('Caio');
    const live = v.transport.connect(v.token);
    const tickets = watch(live, 'customer.tickets', {});
    await vi.waitFor(() => expect(tickets.seen.snapshots).toBe(1));
    expect(tickets.seen.docs.size).toBe(0);

    const sent = await v.transport.send(v.token, { text: 'Oi, meu pedido atrasou', attachments: [], clientMessageId: 'w-caio-1' });
    expect(sent.protocol).toMatch(/\S/);
    await vi.waitFor(() => expect(tickets.seen.docs.get(sent.ticketId)).toMatchObject({ protocol: sent.protocol, status: 'waiting', contactId: v.contactId }));
    // A resend of the same client id (a retry after a lost answer) creates nothing new.
    expect(await v.transport.send(v.token, { text: 'Oi, meu pedido atrasou', attachments: [], clientMessageId: 'w-caio-1' })).toMatchObject({ messageId: sent.messageId });

    const messages = watch(live, 'customer.messages', { ticketId: sent.ticketId });
    await vi.waitFor(() => expect(messages.seen.docs.get(sent.messageId)).toMatchObject({ direction: 'in', channelMessageId: 'w-caio-1' }));
    expect(messages.seen.docs.size).toBe(1);

    await asStaff('ana', 'ticket.accept', { ticketId: sent.ticketId });
    const reply = (await asStaff('ana', 'message.send', { ticketId: sent.ticketId, text: 'Olá, Caio! Já verifico.' })) as { message: Message };
    await vi.waitFor(() => expect(messages.seen.docs.get(reply.message.id)).toMatchObject({ direction: 'out', text: 'Olá, Caio! Já verifico.' }));
    // The ticket as the customer reads it: the projection, with the agent's name and nothing internal.
    await vi.waitFor(() => expect(tickets.seen.docs.get(sent.ticketId)).toMatchObject({ status: 'open', assigneeName: expect.stringMatching(/^Ana/) }));
    for (const field of ['assigneeId', 'sectorId', 'tagIds', 'classificationId', 'closedBy', 'unread']) expect(tickets.seen.docs.get(sent.ticketId)).not.toHaveProperty(field);
    // The internal line of the accept (system) is not the customer's to read.
    expect([...messages.seen.docs.values()].every((m) => m.direction !== 'system')).toBe(true);
    live.close();
  });

  it("drives the widget's conversation: pending until the echo, then the agent's reply in the thread", async () => {
    const v = await startVisitor('Dora');
    const live = v.transport.connect(v.token);
    const scope = effectScope();
    const c = scope.run(() => useConversation({ api: v.transport, live, token: v.token, newId: () => 'w-dora-1' }))!;
    expect(c.sendText('Bom dia')).toBe(true);
    await vi.waitFor(() => expect(c.current.value?.protocol).toMatch(/\S/));
    await vi.waitFor(() => expect(c.pending.value).toEqual([]));
    const ticketId = c.current.value!.id;
    await asStaff('ana', 'ticket.accept', { ticketId });
    await asStaff('ana', 'message.send', { ticketId, text: 'Bom dia, Dora!' });
    await vi.waitFor(() =>
      expect(c.thread.value.flatMap((i) => (i.kind === 'message' ? [`${i.message.direction}:${i.message.text}`] : []))).toEqual(['in:Bom dia', 'out:Bom dia, Dora!']),
    );
    expect(c.awaitingAgent.value).toBe(false);
    scope.stop();
    live.close();
  });

  it('reads only what changed: a quiet round asks once for changed tickets and reads no messages; a reply reads only the new lines', async () => {
    const v = await startVisitor('Quieta');
    const { ticketId, messageId } = await v.transport.send(v.token, { text: 'Oi', attachments: [], clientMessageId: 'w-quieta-1' });
    const live = v.transport.connect(v.token);
    const tickets = watch(live, 'customer.tickets', {});
    const messages = watch(live, 'customer.messages', { ticketId });
    await vi.waitFor(() => expect(messages.seen.docs.has(messageId)).toBe(true));
    const mine = () => rest.requests.filter((r) => r.token === `token-of-${v.token}`);
    // Every read carries the visitor's ID token (what the rules check).
    expect(mine().length).toBeGreaterThan(0);
    const from = mine().length;
    await vi.waitFor(() => expect(mine().length - from).toBeGreaterThanOrEqual(6));
    const quiet = mine().slice(from);
    // Quiet rounds: the changed-tickets query at the root, never the thread.
    expect(quiet.every((r) => r.method === 'POST' && r.path.endsWith('/documents:runQuery'))).toBe(true);

    await asStaff('ana', 'ticket.accept', { ticketId });
    const reply = (await asStaff('ana', 'message.send', { ticketId, text: 'Pois não?' })) as { message: Message };
    await vi.waitFor(() => expect(messages.seen.docs.get(reply.message.id)).toMatchObject({ text: 'Pois não?' }));
    expect(mine().some((r) => r.path.endsWith(`/tickets/${ticketId}:runQuery`))).toBe(true);
    expect(tickets.seen.docs.get(ticketId)).toMatchObject({ status: 'open' });
    expect(messages.seen.docs.size).toBe(2);
    live.close();
    // Closed: no more rounds.
    const after = mine().length;
    await new Promise((r) => setTimeout(r, 200));
    expect(mine().length).toBe(after);
  });

  it("keeps visitors apart: a second visitor's listeners see nothing of the first's ticket", async () => {
    const first = await startVisitor('Primeira');
    const { ticketId } = await first.transport.send(first.token, { text: 'Dados pessoais aqui', attachments: [], clientMessageId: 'w-first-1' });
    const second = await startVisitor('Segunda');
    expect(second.contactId).not.toBe(first.contactId);
    const live = second.transport.connect(second.token);
    const theirs = watch(live, 'customer.messages', { ticketId });
    const mine = watch(live, 'customer.tickets', {});
    await vi.waitFor(() => expect(theirs.seen.error?.code).toBe('permission-denied'));
    expect(theirs.seen.docs.size).toBe(0);
    await vi.waitFor(() => expect(mine.seen.snapshots).toBe(1));
    expect(mine.seen.docs.size).toBe(0);
    // Writing into it is refused by the command as well.
    await expect(second.transport.upload(second.token, new File(['x'], 'a.txt', { type: 'text/plain' }))).rejects.toMatchObject({ code: 'no-open-ticket' });
    live.close();
  });

  it('resumes after a reload with the same visitor, and starts afresh when the browser lost the account', async () => {
    const v = await startVisitor('Rita');
    const again = await v.transport.session('site', { name: 'Rita', token: v.token });
    expect(again).toEqual({ token: v.token, contactId: v.contactId });
    const elsewhere = browser();
    await expect(elsewhere.transport.session('site', { name: 'Rita', token: v.token })).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('uploads through upload.begin and the signed URL, then sends the file; refuses a file before any message, and a refused type, in words the widget explains', async () => {
    const v = await startVisitor('Ivo');
    await expect(v.transport.upload(v.token, new File(['hi'], 'nota.txt', { type: 'text/plain' }))).rejects.toMatchObject({ code: 'no-open-ticket' });
    const { ticketId } = await v.transport.send(v.token, { text: 'Segue o comprovante', attachments: [], clientMessageId: 'w-ivo-1' });
    const attachment = await v.transport.upload(v.token, new File(['%PDF-1.4 comprovante'], 'comprovante.pdf', { type: 'application/pdf' }));
    expect(attachment).toMatchObject({ name: 'comprovante.pdf', mime: 'application/pdf', kind: 'document' });
    expect(puts.at(-1)).toEqual({ path: `/files/${ticketId}/${attachment.id}?signed-for=application%2Fpdf`, type: 'application/pdf', body: '%PDF-1.4 comprovante' });
    const sent = await v.transport.send(v.token, { text: '', attachments: [attachment], clientMessageId: 'w-ivo-2' });
    expect(sent.ticketId).toBe(ticketId);
    expect((await emulator.db.doc(`tickets/${ticketId}/messages/${sent.messageId}`).get()).data()).toMatchObject({ attachments: [attachment] });
    // The link carries the visitor's short-lived file key (from widget.session), never an ID token, and the files function honours it.
    const link = new URL(v.transport.fileUrl(v.token, ticketId, attachment.id));
    expect(`${link.origin}${link.pathname}`).toBe(`https://acme.web.app/files/${ticketId}/${attachment.id}`);
    expect([...link.searchParams.keys()]).toEqual(['key']);
    const files = { ...deps, signDownload: async (path: string) => `https://storage.example/${path}` };
    expect(await handleFileRequest(files, { method: 'GET', path: link.pathname, query: { key: link.searchParams.get('key') } })).toMatchObject({ status: 302 });
    const stranger = await startVisitor('Outro');
    const theirs = new URL(stranger.transport.fileUrl(stranger.token, ticketId, attachment.id));
    expect(await handleFileRequest(files, { method: 'GET', path: theirs.pathname, query: { key: theirs.searchParams.get('key') } })).toMatchObject({ status: 404 });
    await expect(v.transport.upload(v.token, new File(['MZ'], 'virus.exe', { type: 'application/x-msdownload' }))).rejects.toMatchObject({
      code: 'invalid-argument',
      status: 400,
      issues: [{ path: 'mime' }],
    });
  });

  it('answers bad input with the field named, not a crash', async () => {
    const b = browser();
    await expect(b.transport.session('nope', { name: 'Zé' })).rejects.toMatchObject({ code: 'not-found', status: 404, issues: [{ path: 'channelId' }] });
    await expect(b.transport.session('site', { name: '  ' })).rejects.toMatchObject({ code: 'invalid-argument', issues: [{ path: 'name' }] });
    const v = await startVisitor('Léo');
    await expect(v.transport.send(v.token, { text: 'x'.repeat(5000), attachments: [], clientMessageId: 'w-leo-1' })).rejects.toMatchObject({
      code: 'invalid-argument',
      issues: [{ path: 'text' }],
    });
    // Before any session there is no customer to speak for.
    await expect(browser().transport.send('', { text: 'oi', attachments: [], clientMessageId: 'w-x' })).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
