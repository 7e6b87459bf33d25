import { describe, expect, it } from 'vitest';
import { failureOf, parseWhatsAppWebhook, phoneVariants, buildWhatsAppSend, readWhatsAppSendAnswer, WebhookError, type InboundMessageEvent, type InboundStatusEvent } from '../src/index.ts';

/** Meta's webhook envelope around one `value` (shapes as in the Cloud API webhook reference). */
const envelope = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '200000000000001', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, ...value } }] }],
});
const contacts = [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }];
const incoming = (message: Record<string, unknown>) =>
  parseWhatsAppWebhook(envelope({ contacts, messages: [{ from: '16505551234', id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', timestamp: '1749416383', ...message }] }))
    .events[0] as InboundMessageEvent;

describe('WhatsApp webhook parser', () => {
  it('text: routed by phone_number_id, named from contacts, timed from timestamp', () => {
    const e = incoming({ type: 'text', text: { body: 'Does it come in another color?' } });
    expect(e).toMatchObject({ kind: 'message', account: '106540352242922', externalId: '16505551234', contact: { name: 'Sheena Nelson', phone: '+16505551234' }, text: 'Does it come in another color?', at: 1749416383000, media: [], unsupportedType: null });
  });

  it('image, video, sticker with caption or none; document with filename; voice note', () => {
    expect(incoming({ type: 'image', image: { caption: 'Black jacket', mime_type: 'image/jpeg', sha256: 'abc=', id: '1003383421387256' } })).toMatchObject({ text: 'Black jacket', media: [{ ref: '1003383421387256', kind: 'image', mime: 'image/jpeg', voice: false }] });
    expect(incoming({ type: 'document', document: { caption: 'Receipt', filename: 'receipt.pdf', mime_type: 'application/pdf', sha256: 'x', id: '9' } }).media[0]).toMatchObject({ kind: 'document', name: 'receipt.pdf' });
    expect(incoming({ type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'x', id: '8', voice: true } }).media[0]).toMatchObject({ kind: 'audio', voice: true });
    expect(incoming({ type: 'video', video: { mime_type: 'video/mp4', sha256: 'x', id: '7' } }).media[0]).toMatchObject({ kind: 'video' });
    expect(incoming({ type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 'x', id: '6', animated: false } }).media[0]).toMatchObject({ kind: 'image', mime: 'image/webp' });
  });

  it('location and contacts read as text', () => {
    expect(incoming({ type: 'location', location: { latitude: -23.561, longitude: -46.656, name: 'Masp', address: 'Av. Paulista, 1578' } }).text).toBe(
      '📍 Localização: Masp — Av. Paulista, 1578\nhttps://maps.google.com/?q=-23.561,-46.656',
    );
    const card = incoming({ type: 'contacts', contacts: [{ name: { formatted_name: 'Barbara Johnson', first_name: 'Barbara' }, phones: [{ phone: '+1 (940) 555-1234', type: 'HOME', wa_id: '19405551234' }], emails: [{ email: 'bjohnson@example.com' }] }] });
    expect(card.text).toBe('👤 Barbara Johnson\n+1 (940) 555-1234\nbjohnson@example.com');
  });

  it('interactive button_reply / list_reply and template button: their title is the text', () => {
    expect(incoming({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: '1', title: 'Suporte técnico' } } }).text).toBe('Suporte técnico');
    expect(incoming({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: '2', title: 'Financeiro', description: '' } } }).text).toBe('Financeiro');
    expect(incoming({ type: 'button', button: { payload: 'RESUME', text: 'Sim, continuar' } }).text).toBe('Sim, continuar');
  });

  it('context: a reply names the message it quotes', () => {
    expect(incoming({ type: 'text', text: { body: 'this one' }, context: { from: '15550783881', id: 'wamid.QUOTED' } }).replyToChannelMessageId).toBe('wamid.QUOTED');
  });

  it('reactions (and their removal) are events on the message they react to', () => {
    const parsed = parseWhatsAppWebhook(envelope({ contacts, messages: [
      { from: '16505551234', id: 'wamid.R1', timestamp: '1749416383', type: 'reaction', reaction: { message_id: 'wamid.OURS', emoji: '👍' } },
      { from: '16505551234', id: 'wamid.R2', timestamp: '1749416384', type: 'reaction', reaction: { message_id: 'wamid.OURS' } },
    ] }));
    expect(parsed.events).toMatchObject([{ kind: 'reaction', targetChannelMessageId: 'wamid.OURS', emoji: '👍' }, { kind: 'reaction', emoji: null }]);
  });

  it('unsupported and unknown types become a visible line, never dropped', () => {
    expect(incoming({ type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] })).toMatchObject({ kind: 'message', unsupportedType: 'unsupported' });
    expect(incoming({ type: 'order', order: { catalog_id: '1' } })).toMatchObject({ unsupportedType: 'order' });
  });

  it('statuses: sorted by time within a batch; failed carries the classified reason', () => {
    const parsed = parseWhatsAppWebhook(envelope({ statuses: [
      { id: 'wamid.A', status: 'read', timestamp: '1750263775', recipient_id: '16505551234' },
      { id: 'wamid.A', status: 'delivered', timestamp: '1750263773', recipient_id: '16505551234', conversation: { id: 'c', origin: { type: 'service' } }, pricing: { billable: true, category: 'service' } },
      { id: 'wamid.B', status: 'failed', timestamp: '1750263774', recipient_id: '16505551234', errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } }] },
      { id: 'wamid.C', status: 'deleted', timestamp: '1750263774' },
    ] }));
    const statuses = parsed.events as InboundStatusEvent[];
    expect(statuses.map((s) => [s.channelMessageId, s.status])).toEqual([['wamid.A', 'delivered'], ['wamid.B', 'failed'], ['wamid.A', 'read']]);
    expect(statuses[1]!.failure).toMatchObject({ code: 'window-closed', providerCode: 131047 });
    expect(parsed.ignored).toHaveLength(1);
  });

  it('refuses what is not a WhatsApp Business payload, naming the field', () => {
    expect(() => parseWhatsAppWebhook({ object: 'page', entry: [] })).toThrow(WebhookError);
    expect(() => parseWhatsAppWebhook({ object: 'whatsapp_business_account' })).toThrow(/entry/);
  });
});

describe('WhatsApp error classification', () => {
  it.each([
    [131047, 400, 'window-closed', 'give-up'],
    [131026, 400, 'invalid-recipient', 'give-up'],
    [130429, 400, 'rate-limited', 'retry'],
    [131056, 400, 'rate-limited', 'retry'],
    [190, 401, 'auth', 'attention'],
    [132001, 404, 'template-rejected', 'give-up'],
    [131000, 500, 'provider-unavailable', 'retry'],
    [100, 400, 'rejected', 'give-up'],
  ] as const)('code %i (HTTP %i) → %s, %s', (code, http, expected, kind) => {
    expect(failureOf(code, null, http).code).toBe(expected);
    expect(readWhatsAppSendAnswer({ status: http, headers: {}, body: { error: { code, message: 'x' } } }).kind).toBe(kind);
  });

  it('a network failure is retried; a success reads the wamid', () => {
    expect(readWhatsAppSendAnswer({ status: 0, headers: {}, body: 'ECONNREFUSED' })).toMatchObject({ kind: 'retry', failure: { code: 'provider-unavailable' } });
    expect(readWhatsAppSendAnswer({ status: 200, headers: {}, body: { messaging_product: 'whatsapp', contacts: [{ input: '+1', wa_id: '1' }], messages: [{ id: 'wamid.X' }] } })).toEqual({ kind: 'sent', channelMessageId: 'wamid.X' });
  });
});

describe('building sends', () => {
  const ctx = { baseUrl: 'https://graph.test/v23.0', account: { id: '100000000000001', businessId: '2', display: null }, secrets: { accessToken: 'tok' } };
  const base = { to: '5511987654321', text: '', attachments: [], replyToChannelMessageId: null, template: null, menu: null };
  it('text with context, template with parameters, menu as buttons / list / numbered text', () => {
    const [text] = buildWhatsAppSend(ctx, { ...base, text: 'Oi', replyToChannelMessageId: 'wamid.Q' });
    expect(text).toMatchObject({ method: 'POST', url: 'https://graph.test/v23.0/100000000000001/messages', headers: { authorization: 'Bearer tok' }, json: { to: '5511987654321', type: 'text', text: { body: 'Oi' }, context: { message_id: 'wamid.Q' } } });
    const [template] = buildWhatsAppSend(ctx, { ...base, template: { name: 'retomar', language: 'pt_BR', bodyParams: ['Ana', '123'] } });
    expect(template!.json).toMatchObject({ type: 'template', template: { name: 'retomar', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '123' }] }] } });
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ key: String(i + 1), label: `Opção ${i + 1}` }));
    expect(buildWhatsAppSend(ctx, { ...base, text: 'Menu', menu: { header: 'Menu', options: options(3) } })[0]!.json).toMatchObject({ type: 'interactive', interactive: { type: 'button' } });
    expect(buildWhatsAppSend(ctx, { ...base, text: 'Menu', menu: { header: 'Menu', options: options(10) } })[0]!.json).toMatchObject({ type: 'interactive', interactive: { type: 'list' } });
    expect(buildWhatsAppSend(ctx, { ...base, text: 'Menu\n1 - a', menu: { header: 'Menu', options: options(11) } })[0]!.json).toMatchObject({ type: 'text' });
  });
  it('one file carries the text as caption; several files go one by one, then the text', () => {
    const pdf = { id: 'a', name: 'nota.pdf', mime: 'application/pdf', size: 1, kind: 'document' as const, url: 'media:55' };
    const one = buildWhatsAppSend(ctx, { ...base, text: 'Segue', attachments: [pdf] });
    expect(one.map((c) => c.json)).toMatchObject([{ type: 'document', document: { id: '55', filename: 'nota.pdf', caption: 'Segue' } }]);
    const two = buildWhatsAppSend(ctx, { ...base, text: 'Segue', attachments: [pdf, { ...pdf, id: 'b', url: 'https://files/b' }] });
    expect(two.map((c) => (c.json as { type: string }).type)).toEqual(['document', 'document', 'text']);
  });
});

describe('Brazilian ninth digit', () => {
  it('a mobile with and without the 9 are one person; landlines and other countries are left alone', () => {
    expect(phoneVariants('5511987654321')).toEqual(['5511987654321', '551187654321']);
    expect(phoneVariants('+55 (11) 8765-4321')).toEqual(['551187654321', '5511987654321']);
    expect(phoneVariants('551133334444')).toEqual(['551133334444']);
    expect(phoneVariants('16505551234')).toEqual(['16505551234']);
  });
});
