import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Ticket } from '@atende/core';
import { login, newWaitingTicket, run, startServer, type TestServer } from './helpers.ts';
import { EXE, PDF, PNG } from './fixtures.ts';

let server: TestServer;
let ana: string;
let bruno: string;
let ticket: Ticket;

const upload = async (cookie: string | null, fields: { ticketId?: string; file?: { bytes: Buffer; name: string; type?: string } }) => {
  const form = new FormData();
  if (fields.ticketId !== undefined) form.append('ticketId', fields.ticketId);
  if (fields.file) form.append('file', new Blob([fields.file.bytes], { type: fields.file.type ?? 'application/octet-stream' }), fields.file.name);
  const res = await fetch(`${server.url}/api/files`, { method: 'POST', headers: cookie ? { cookie } : {}, body: form });
  return { status: res.status, body: (await res.json()) as { attachment: Attachment; error: { code: string; message: string; issues: { path: string }[] } } };
};

beforeAll(async () => {
  server = await startServer();
  [ana, bruno] = await Promise.all([login(server, 'ana@atende.local'), login(server, 'bruno@atende.local')]);
  ticket = await newWaitingTicket(server);
  await run(server, ana, 'ticket.accept', { ticketId: ticket.id });
});
afterAll(() => server.close());

describe('uploads are typed by content and checked against the attachment policy', () => {
  it('stores a PNG under files/<ticketId>/<id> and describes it', async () => {
    const res = await upload(ana, { ticketId: ticket.id, file: { bytes: PNG, name: 'foto.png', type: 'image/png' } });
    expect(res.status).toBe(200);
    expect(res.body.attachment).toMatchObject({ name: 'foto.png', mime: 'image/png', kind: 'image', size: PNG.length });
    expect(existsSync(join(server.dataDir, 'files', ticket.id, res.body.attachment.id))).toBe(true);
  });

  it('types a ".png" holding PDF bytes as the PDF it is', async () => {
    const res = await upload(ana, { ticketId: ticket.id, file: { bytes: PDF, name: 'disfarce.png', type: 'image/png' } });
    expect(res.status).toBe(200);
    expect(res.body.attachment).toMatchObject({ mime: 'application/pdf', kind: 'document' });
  });

  it('refuses an executable, whatever it claims to be', async () => {
    const res = await upload(ana, { ticketId: ticket.id, file: { bytes: EXE, name: 'nota.pdf', type: 'application/pdf' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/não permitido/);
    expect(res.body.error.issues[0]?.path).toBe('file');
  });

  it('accepts UTF-8 text as text/plain', async () => {
    const res = await upload(ana, { ticketId: ticket.id, file: { bytes: Buffer.from('Olá, mundo!\nçãé\n'), name: 'nota.txt' } });
    expect(res.status).toBe(200);
    expect(res.body.attachment.mime).toBe('text/plain');
  });

  it('types a browser voice recording (WebM with only an Opus track) as audio, and a WebM with a video track as video', async () => {
    const ebml = [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84, ...Buffer.from('webm')];
    const track = (codec: string) => [0x86, 0x80 | codec.length, ...Buffer.from(codec)];
    const voice = Buffer.from([...ebml, 0x18, 0x53, 0x80, 0x67, ...track('A_OPUS'), 0, 0, 0, 0]);
    const clip = Buffer.from([...ebml, 0x18, 0x53, 0x80, 0x67, ...track('V_VP8'), ...track('A_OPUS'), 0, 0]);
    const a = await upload(ana, { ticketId: ticket.id, file: { bytes: voice, name: 'audio.webm', type: 'audio/webm' } });
    expect(a.status).toBe(200);
    expect(a.body.attachment).toMatchObject({ mime: 'audio/webm', kind: 'audio' });
    const v = await upload(ana, { ticketId: ticket.id, file: { bytes: clip, name: 'clip.webm', type: 'video/webm' } });
    expect(v.body.attachment).toMatchObject({ mime: 'video/webm', kind: 'video' });
  });

  it('refuses a file over the policy limit with the limit in the message', async () => {
    const admin = await login(server, 'admin@atende.local');
    const settings = await run(server, admin, 'settings.update', { attachments: { maxBytes: 2048, allowedTypes: ['image/*', 'application/pdf', 'text/plain'] } });
    expect(settings.status).toBe(200);
    try {
      const big = Buffer.concat([PNG, Buffer.alloc(4096)]);
      const res = await upload(ana, { ticketId: ticket.id, file: { bytes: big, name: 'grande.png' } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/Arquivo muito grande \(máximo/);
      // A type the policy no longer lists.
      const zip = Buffer.from('504b0304140000000800', 'hex');
      expect((await upload(ana, { ticketId: ticket.id, file: { bytes: zip, name: 'a.zip' } })).status).toBe(400);
    } finally {
      await run(server, admin, 'settings.update', { attachments: { maxBytes: 16 * 1024 * 1024, allowedTypes: ['image/*', 'audio/*', 'video/*', 'application/pdf', 'text/plain', 'application/zip'] } });
    }
  });

  it('names what is missing, and refuses uploads to tickets the user may not act on', async () => {
    expect((await upload(ana, { file: { bytes: PNG, name: 'x.png' } })).body.error.issues[0]?.path).toBe('ticketId');
    expect((await upload(ana, { ticketId: ticket.id })).body.error.issues[0]?.path).toBe('file');
    expect((await upload(bruno, { ticketId: ticket.id, file: { bytes: PNG, name: 'x.png' } })).status).toBe(403);
    expect((await upload(null, { ticketId: ticket.id, file: { bytes: PNG, name: 'x.png' } })).status).toBe(401);
    expect((await upload(ana, { ticketId: 'nao-existe', file: { bytes: PNG, name: 'x.png' } })).status).toBe(404);
  });
});

describe('downloads', () => {
  it('serves the file with its type, nosniff and a disposition by kind, to those who may read the ticket', async () => {
    const image = (await upload(ana, { ticketId: ticket.id, file: { bytes: PNG, name: 'foto de perfil.png' } })).body.attachment;
    const doc = (await upload(ana, { ticketId: ticket.id, file: { bytes: PDF, name: 'relatório final.pdf' } })).body.attachment;

    const img = await fetch(`${server.url}/api/files/${ticket.id}/${image.id}`, { headers: { cookie: ana } });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('x-content-type-options')).toBe('nosniff');
    expect(img.headers.get('content-disposition')).toMatch(/^inline; filename="foto de perfil.png"/);
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);

    const pdf = await fetch(`${server.url}/api/files/${ticket.id}/${doc.id}`, { headers: { cookie: ana } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="relat_rio final.pdf"; filename*=UTF-8''${encodeURIComponent('relatório final.pdf')}`);
    await pdf.arrayBuffer();

    // Bruno is in Financeiro only: this Suporte ticket is not his to see.
    expect((await fetch(`${server.url}/api/files/${ticket.id}/${image.id}`, { headers: { cookie: bruno } })).status).toBe(403);
    expect((await fetch(`${server.url}/api/files/${ticket.id}/${image.id}`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/files/${ticket.id}/nao-existe`, { headers: { cookie: ana } })).status).toBe(404);
    // A file id under another ticket's path is not found.
    const other = await newWaitingTicket(server);
    expect((await fetch(`${server.url}/api/files/${other.id}/${image.id}`, { headers: { cookie: ana } })).status).toBe(404);
  });
});
