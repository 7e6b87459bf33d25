/**
 * Capabilities both backends must offer that go beyond commands and live
 * queries: an admin setting a person's password, and quick replies' files
 * (upload, copy into a ticket, refused to whoever may not). Registered by
 * `defineConformance` (suite.ts) on the same harness as the rest.
 */
import { expect, it } from 'vitest';
import { DEMO_PASSWORD, type Attachment } from '@atende/core';
import type { Backend, BackendError } from '../web/src/backend/types.ts';
import type { ConformanceHarness } from './suite.ts';

export interface ParityContext {
  harness(): ConformanceHarness;
  /** Signed in as the demo users. */
  as(name: 'ana' | 'bruno' | 'supervisor' | 'admin'): Backend;
  newTicket(): Promise<{ ticketId: string }>;
}

const failure = async (p: Promise<unknown>): Promise<BackendError> => {
  try {
    await p;
  } catch (e) {
    return e as BackendError;
  }
  throw new Error('expected the call to fail');
};

// A real PDF header: both backends type uploads by their bytes.
const pdf = () => new File([new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')], 'tabela.pdf', { type: 'application/pdf' });

export const defineParity = (ctx: ParityContext): void => {
  it('an admin sets a person\'s password from the user dialog; nobody else may', async () => {
    const admin = ctx.as('admin');
    expect(admin.setPassword, 'the driver offers setPassword').toBeTypeOf('function');
    expect((await failure(ctx.as('supervisor').setPassword!('carla', 'nova-senha-123'))).code).toBe('permission-denied');
    expect((await failure(admin.setPassword!('carla', 'curta'))).code).toBe('invalid-argument');
    await admin.setPassword!('carla', 'nova-senha-123');
    await expect(ctx.harness().signIn('carla@atende.local', DEMO_PASSWORD)).rejects.toMatchObject({ code: 'unauthenticated' });
    const carla = await ctx.harness().signIn('carla@atende.local', 'nova-senha-123');
    await carla.signOut();
    // Back to the demo password, for whoever signs in as Carla next.
    await admin.setPassword!('carla', DEMO_PASSWORD);
  });

  it("a quick reply's file: a supervisor uploads it, picking the reply copies it into the ticket", async () => {
    const supervisor = ctx.as('supervisor');
    const ana = ctx.as('ana');
    expect(supervisor.uploadQuickReplyFile, 'the driver offers quick replies\' files').toBeTypeOf('function');
    expect((await failure(ana.uploadQuickReplyFile!(pdf()))).code).toBe('permission-denied');
    const file: Attachment = await supervisor.uploadQuickReplyFile!(pdf());
    expect(file).toMatchObject({ name: 'tabela.pdf', mime: 'application/pdf', kind: 'document' });
    expect(supervisor.quickReplyFileUrl!(file.id)).toContain(file.id);
    const replyId = `tabela${Date.now().toString(36)}`;
    await supervisor.run('quickReply.save', { id: replyId, shortcut: replyId, text: 'Segue a tabela.', sectorIds: [], attachments: [file] });

    const { ticketId } = await ctx.newTicket();
    // Bruno is not in Suporte: the ticket is not his to write to.
    expect((await failure(ctx.as('bruno').copyQuickReplyFile!(ticketId, replyId, file.id))).code).toBe('permission-denied');
    await ana.run('ticket.accept', { ticketId });
    const copy = await ana.copyQuickReplyFile!(ticketId, replyId, file.id);
    expect(copy).toMatchObject({ name: 'tabela.pdf', mime: 'application/pdf', size: file.size });
    expect(copy.id).not.toBe(file.id);
    expect((await failure(ana.copyQuickReplyFile!(ticketId, replyId, 'not-its-file'))).code).toBe('not-found');
    // The copy is the ticket's own file: it goes out with a message like any upload.
    await ana.run('message.send', { ticketId, text: 'Segue a tabela.', attachments: [copy], clientId: `qr-${replyId}` });
  });
};
