import { describe, expect, it } from 'vitest';
import { parseInstagramWebhook, INSTAGRAM_TEXT } from '../src/channels/instagram/parse.ts';
import { buildInstagramSend, readInstagramAnswer } from '../src/channels/instagram/send.ts';
import { WebhookError, type OutboundMessage, type SendContext } from '../src/channels/types.ts';

import attachments from './fixtures/instagram/attachments.json';
import events from './fixtures/instagram/events.json';
import story from './fixtures/instagram/story.json';
import text from './fixtures/instagram/text.json';

const fixtures: Record<string, unknown> = { attachments, events, story, text };
const fixture = (name: string): unknown => fixtures[name];
const ACCOUNT = '300000000000001';
const CUSTOMER = '6549871236547890';

describe('parseInstagramWebhook', () => {
  it('reads a customer text as a message event routed by the account id', () => {
    expect(parseInstagramWebhook(fixture('text'))).toEqual({
      events: [
        {
          kind: 'message',
          account: ACCOUNT,
          externalId: CUSTOMER,
          contact: {},
          channelMessageId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDU',
          at: 1764679999000,
          text: 'Oi! Vocês entregam em Campinas?',
          media: [],
          replyToChannelMessageId: null,
          unsupportedType: null,
        },
      ],
      ignored: [],
      accounts: [ACCOUNT],
    });
  });

  it('turns image, audio and file attachments into media to download by URL', () => {
    const [event] = parseInstagramWebhook(fixture('attachments')).events;
    expect(event).toMatchObject({ kind: 'message', text: '', unsupportedType: null });
    expect(event?.kind === 'message' && event.media.map((m) => [m.kind, m.ref.slice(0, 30), m.name !== null])).toEqual([
      ['image', 'https://lookaside.fbsbx.com/ig', false],
      ['audio', 'https://cdn.fbsbx.com/v/t59.36', false],
      ['document', 'https://cdn.fbsbx.com/v/t59.27', true],
    ]);
  });

  it('shows story replies, story mentions and shared posts readably, and keeps a reply quote', () => {
    const events = parseInstagramWebhook(fixture('story')).events;
    const texts = events.map((e) => (e.kind === 'message' ? e.text : null));
    expect(texts).toEqual([
      `${INSTAGRAM_TEXT.storyReply}: https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=story1\nQuanto custa esse?`,
      INSTAGRAM_TEXT.storyMention,
      `${INSTAGRAM_TEXT.share}: https://www.instagram.com/p/Cabc123/`,
      'Esse aqui',
    ]);
    expect(events[1]?.kind === 'message' && events[1].media).toHaveLength(1);
    expect(events[3]).toMatchObject({ replyToChannelMessageId: 'mid.business.1' });
  });

  it('skips echoes, and reads deletions, reactions, reads, quick replies, postbacks and unsupported types', () => {
    const { events, ignored } = parseInstagramWebhook(fixture('events'));
    expect(ignored).toEqual(['entry[0].messaging[0]: echo of a message the business sent']);
    expect(events.map((e) => e.kind)).toEqual(['deleted', 'reaction', 'reaction', 'status', 'message', 'message', 'message']);
    expect(events[0]).toEqual({ kind: 'deleted', account: ACCOUNT, externalId: CUSTOMER, channelMessageId: 'mid.reply', at: 1764679995000 });
    expect(events[1]).toMatchObject({ targetChannelMessageId: 'mid.business.1', emoji: '❤️' });
    expect(events[2]).toMatchObject({ targetChannelMessageId: 'mid.business.1', emoji: null });
    expect(events[3]).toMatchObject({ kind: 'status', channelMessageId: 'mid.business.1', status: 'read' });
    expect(events[4]).toMatchObject({ text: 'Financeiro', channelMessageId: 'mid.qr' });
    expect(events[5]).toMatchObject({ text: 'Falar com atendente', channelMessageId: 'mid.pb' });
    expect(events[6]).toMatchObject({ text: '', unsupportedType: 'unsupported' });
  });

  it('refuses what is not an Instagram webhook, naming the field', () => {
    expect(() => parseInstagramWebhook({ object: 'whatsapp_business_account', entry: [] })).toThrow(WebhookError);
    try {
      parseInstagramWebhook({ object: 'instagram' });
    } catch (e) {
      expect((e as WebhookError).issues).toEqual([{ path: 'entry', message: 'must be an array' }]);
    }
  });
});

describe('sending on Instagram', () => {
  const ctx: SendContext = { baseUrl: 'http://graph.test/v23.0', account: { id: ACCOUNT, businessId: null, display: '@loja' }, secrets: { accessToken: 'tok' } };
  const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({ to: CUSTOMER, text: 'Olá!', attachments: [], replyToChannelMessageId: null, template: null, menu: null, ...over });

  it('posts each file, then the text, to /me/messages with the bearer token (human-agent tag when enabled)', () => {
    const calls = buildInstagramSend(
      ctx,
      message({ attachments: [{ id: 'f1', name: 'nota.pdf', mime: 'application/pdf', size: 10, kind: 'document', url: 'https://atende.test/f/f1?sig=x' }] }),
      true,
    );
    expect(calls).toEqual([
      {
        method: 'POST',
        url: 'http://graph.test/v23.0/me/messages',
        headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
        json: { recipient: { id: CUSTOMER }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { attachment: { type: 'file', payload: { url: 'https://atende.test/f/f1?sig=x' } } } },
      },
      {
        method: 'POST',
        url: 'http://graph.test/v23.0/me/messages',
        headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
        json: { recipient: { id: CUSTOMER }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Olá!' } },
      },
    ]);
    expect(buildInstagramSend(ctx, message(), false)[0]?.json).toEqual({ recipient: { id: CUSTOMER }, message: { text: 'Olá!' } });
  });

  it('sends the bot menu as quick replies', () => {
    const [call] = buildInstagramSend(ctx, message({ text: 'Escolha:', menu: { header: 'Escolha:', options: [{ key: '1', label: 'Vendas' }, { key: '2', label: 'Financeiro' }] } }), false);
    expect(call?.json).toEqual({
      recipient: { id: CUSTOMER },
      message: { text: 'Escolha:', quick_replies: [{ content_type: 'text', title: 'Vendas', payload: '1' }, { content_type: 'text', title: 'Financeiro', payload: '2' }] },
    });
  });

  it('classifies answers: sent, window closed, invalid user, rate limit, token refused, outage', () => {
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => readInstagramAnswer({ status, headers, body });
    expect(answer(200, { recipient_id: CUSTOMER, message_id: 'mid.out.1' })).toEqual({ kind: 'sent', channelMessageId: 'mid.out.1' });
    expect(answer(400, { error: { message: 'outside of allowed window', code: 10, error_subcode: 2018278 } })).toMatchObject({ kind: 'give-up', failure: { code: 'window-closed' } });
    expect(answer(400, { error: { message: 'user unavailable', code: 551 } })).toMatchObject({ kind: 'give-up', failure: { code: 'invalid-recipient' } });
    expect(answer(429, { error: { message: 'too many', code: 613 } }, { 'retry-after': '30' })).toMatchObject({ kind: 'retry', afterMs: 30_000, failure: { code: 'rate-limited' } });
    expect(answer(401, { error: { message: 'Invalid OAuth access token', code: 190 } })).toMatchObject({ kind: 'attention', failure: { code: 'auth', providerCode: 190 } });
    expect(answer(503, {})).toMatchObject({ kind: 'retry', failure: { code: 'provider-unavailable' } });
    expect(answer(0, null)).toMatchObject({ kind: 'retry' });
  });
});
