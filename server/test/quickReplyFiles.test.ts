import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Ticket } from '@atende/core';
import { api, login, newWaitingTicket, run, startServer, type TestServer } from './helpers.ts';
import { EXE, PDF } from './fixtures.ts';

let server: TestServer;
let supervisor: string;
let ana: string;
let ticket: Ticket;

type Body = { attachment: Attachment; error: { code: string; message: string; issues: { path: string }[] } };

const upload = async (cookie: string, file: { bytes: Buffer; name: string; type?: string }) => {
  const form = new FormData();
  form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const res = await fetch(`${server.url}/api/quick-reply-files`, { method: 'POST', headers: { cookie }, body: form });
  return { status: res.status, body: (await res.json()) as Body };
};

const copy = (cookie: string, body: Record<string, string>) => api<Body>(server, 'POST', '/api/files/from-quick-reply', { cookie, body });

beforeAll(async () => {
  server = await startServer();
  [supervisor, ana] = await Promise.all([login(server, 'supervisor@atende.local'), login(server, 'ana@atende.local')]);
  ticket = await newWaitingTicket(server);
  await run(server, ana, 'ticket.accept', { ticketId: ticket.id });
});
afterAll(() => server.close());

describe('quick replies carry files', () => {
  let pdf: Attachment;
  let quickReplyId: string;

  it('a supervisor uploads a PDF for a quick reply; it is stored under files/quick-replies and any staff can preview it', async () => {
    const res = await upload(supervisor, { bytes: PDF, name: 'tabela de preços.pdf', type: 'application/pdf' });
    expect(res.status).toBe(200);
    pdf = res.body.attachment;
    expect(pdf).toMatchObject({ name: 'tabela de preços.pdf', mime: 'application/pdf', kind: 'document', size: PDF.length });
    expect(existsSync(join(server.dataDir, 'files', 'quick-replies', pdf.id))).toBe(true);
    const saved = await run<{ result: { quickReply: { id: string; attachments: Attachment[] } } }>(server, supervisor, 'quickReply.save', {
      shortcut: 'precos',
      text: 'Segue a tabela, {{contact.name}}.',
      sectorIds: ['suporte'],
      attachments: [pdf],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.result.quickReply.attachments).toEqual([pdf]);
    quickReplyId = saved.body.result.quickReply.id;
    const preview = await fetch(`${server.url}/api/quick-reply-files/${pdf.id}`, { headers: { cookie: ana } });
    expect(preview.status).toBe(200);
    expect(Buffer.from(await preview.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('an agent may not upload quick-reply files', async () => {
    const res = await upload(ana, { bytes: PDF, name: 'x.pdf' });
    expect(res.status).toBe(403);
  });

  it('refuses a forbidden type by its content, whatever its name', async () => {
    const res = await upload(supervisor, { bytes: EXE, name: 'nota.pdf', type: 'application/pdf' });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0]?.path).toBe('file');
  });

  it('copies the file into a ticket the agent serves, downloadable like any of its files', async () => {
    const res = await copy(ana, { ticketId: ticket.id, quickReplyId, attachmentId: pdf.id });
    expect(res.status).toBe(200);
    const copied = res.body.attachment;
    expect(copied.id).not.toBe(pdf.id);
    expect(copied).toMatchObject({ name: pdf.name, mime: pdf.mime, size: pdf.size, kind: 'document' });
    const download = await fetch(`${server.url}/api/files/${ticket.id}/${copied.id}`, { headers: { cookie: ana } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    // The quick reply's own file stays out of the ticket's route.
    expect((await fetch(`${server.url}/api/files/${ticket.id}/${pdf.id}`, { headers: { cookie: ana } })).status).toBe(404);
  });

  it('refuses to copy into a ticket of another sector', async () => {
    const bruno = await login(server, 'bruno@atende.local');
    const res = await copy(bruno, { ticketId: ticket.id, quickReplyId, attachmentId: pdf.id });
    expect(res.status).toBe(403);
  });

  it('answers 404 naming the field for an attachment the quick reply does not have', async () => {
    const other = await upload(supervisor, { bytes: PDF, name: 'outro.pdf' });
    expect(other.status).toBe(200);
    const res = await copy(ana, { ticketId: ticket.id, quickReplyId, attachmentId: other.body.attachment.id });
    expect(res.status).toBe(404);
    expect(res.body.error.issues[0]?.path).toBe('attachmentId');
    const missing = await copy(ana, { ticketId: ticket.id, quickReplyId: 'nao-existe', attachmentId: pdf.id });
    expect(missing.status).toBe(404);
    expect(missing.body.error.issues[0]?.path).toBe('quickReplyId');
  });

  it('names the field at fault for a malformed copy request', async () => {
    const res = await copy(ana, { ticketId: ticket.id, quickReplyId });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/attachmentId/);
  });
});

