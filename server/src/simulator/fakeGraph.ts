import { createHash, randomBytes } from 'node:crypto';
import { DEMO_TEMPLATES, demoTemplateId } from '@atende/core';
import { webhookQueue } from './webhookQueue.ts';
import { graphError, MAX_MESSAGES } from './graphError.ts';

export { graphError } from './graphError.ts';
export { fakeGraphRoutes } from './fakeGraphRoutes.ts';

/**
 * A fake WhatsApp Cloud API speaking Meta's protocol: `POST /{phone-number-id}/messages`,
 * `POST /{phone-number-id}/media`, `GET /{media-id}` then the returned URL,
 * `GET /{waba-id}/message_templates` (paginated). It sends signed webhooks
 * (messages from the customer's phone, statuses of what the business sent)
 * and enforces the 24-hour window like Meta (a free-form message outside it
 * fails with 131047). The server's simulator and the tests use it.
 */
export interface FakeNumber {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  display: string;
}

export interface FakeMessage {
  id: string;
  phoneNumberId: string;
  customer: string;
  direction: 'in' | 'out';
  type: string;
  text: string;
  /** Media the business sent or the customer attached. */
  mediaId: string | null;
  fileName: string | null;
  buttons: { id: string; title: string }[];
  contextId: string | null;
  status: 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';
  errorCode: number | null;
  at: number;
  raw: unknown;
}

export interface FakeFailure {
  /** Only messages to this customer (any when absent). */
  to?: string;
  http: number;
  code: number;
  message: string;
  /** How many sends it applies to (default: all until removed). */
  times?: number;
  /** Accept the send, then report it failed with `code` in a status webhook (as Meta does for 131047) instead of refusing it. */
  reported?: boolean;
}

export interface FakeTemplate {
  id: string;
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  status: 'APPROVED' | 'PENDING' | 'REJECTED';
  components: { type: string; text?: string; format?: string }[];
}

const WINDOW_MS = 24 * 60 * 60 * 1000;


export class FakeWhatsApp {
  readonly messages: FakeMessage[] = [];
  readonly requests: { method: string; url: string; body: unknown }[] = [];
  readonly failures: FakeFailure[] = [];
  readonly templates: FakeTemplate[];
  private readonly media = new Map<string, { bytes: Buffer; mime: string; name: string | null }>();
  private readonly lastCustomerAt = new Map<string, number>();
  private readonly deliver = webhookQueue(() => this.options);
  /** Outcomes of sends still on their way back as status webhooks. */
  private readonly reporting = new Set<Promise<void>>();
  private seq = 0;

  constructor(
    readonly options: {
      numbers: FakeNumber[];
      appSecret: string;
      /** Where webhooks go (the Atende server's /webhooks/whatsapp). */
      webhookUrl: () => string;
      /** This fake's own base URL (media download URLs point at it). */
      baseUrl: () => string;
      clock: () => number;
    },
  ) {
    this.templates = DEMO_TEMPLATES.map((t, i) => ({ ...t, status: t.status as FakeTemplate['status'], category: t.category as FakeTemplate['category'], id: demoTemplateId(i) }));
  }

  private wamid(): string {
    return `wamid.${randomBytes(12).toString('base64url')}${++this.seq}`;
  }

  private remember(m: FakeMessage): FakeMessage {
    this.messages.push(m);
    if (this.messages.length > MAX_MESSAGES) this.messages.splice(0, this.messages.length - MAX_MESSAGES);
    return m;
  }

  /** Resolves once every status webhook of the sends made so far has been answered by Atende. */
  async settled(): Promise<void> {
    while (this.reporting.size > 0) await Promise.all(this.reporting);
  }

  number(id: string): FakeNumber | undefined {
    return this.options.numbers.find((n) => n.phoneNumberId === id || n.wabaId === id);
  }

  /** Signs and posts one webhook; webhooks leave one at a time, in order. */
  private post(phoneNumberId: string, value: Record<string, unknown>): Promise<void> {
    const n = this.number(phoneNumberId)!;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: n.wabaId, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: n.display.replace(/\D/g, ''), phone_number_id: n.phoneNumberId }, ...value } }] }],
    });
    return this.deliver(body);
  }

  private status(m: FakeMessage, status: 'sent' | 'delivered' | 'read' | 'failed', error?: { code: number; title: string }): Promise<void> {
    m.status = status;
    if (error) m.errorCode = error.code;
    const s: Record<string, unknown> = { id: m.id, status, timestamp: String(Math.floor(this.options.clock() / 1000)), recipient_id: m.customer };
    if (error) s.errors = [{ code: error.code, title: error.title, message: error.title, error_data: { details: error.title } }];
    return this.post(m.phoneNumberId, { statuses: [s] });
  }

  /** The customer's phone sends something to a business number. */
  async customerSends(input: {
    phoneNumberId: string;
    from: string;
    name: string;
    text?: string;
    file?: { name: string; mime: string; bytes: Buffer; voice?: boolean };
    reply?: { id: string; title: string; list?: boolean };
    reaction?: { messageId: string; emoji: string };
    location?: { latitude: number; longitude: number; name?: string };
    type?: string;
    contextId?: string;
    id?: string;
  }): Promise<FakeMessage> {
    const now = this.options.clock();
    const id = input.id ?? this.wamid();
    const base: Record<string, unknown> = { from: input.from, id, timestamp: String(Math.floor(now / 1000)) };
    if (input.contextId) base.context = { from: this.number(input.phoneNumberId)!.display.replace(/\D/g, ''), id: input.contextId };
    let type = 'text';
    let mediaId: string | null = null;
    if (input.reaction) {
      type = 'reaction';
      base.reaction = { message_id: input.reaction.messageId, emoji: input.reaction.emoji };
    } else if (input.reply) {
      type = 'interactive';
      base.interactive = input.reply.list ? { type: 'list_reply', list_reply: { id: input.reply.id, title: input.reply.title } } : { type: 'button_reply', button_reply: { id: input.reply.id, title: input.reply.title } };
    } else if (input.file) {
      mediaId = this.storeMedia(input.file.bytes, input.file.mime, input.file.name);
      type = input.file.mime.startsWith('image/') ? 'image' : input.file.mime.startsWith('audio/') ? 'audio' : input.file.mime.startsWith('video/') ? 'video' : 'document';
      const sha256 = createHash('sha256').update(input.file.bytes).digest('base64');
      base[type] = { id: mediaId, mime_type: input.file.mime, sha256, ...(type === 'document' ? { filename: input.file.name } : {}), ...(input.text && type !== 'audio' ? { caption: input.text } : {}), ...(type === 'audio' ? { voice: input.file.voice === true } : {}) };
    } else if (input.location) {
      type = 'location';
      base.location = input.location;
    } else if (input.type) {
      type = input.type;
      if (type === 'unsupported') base.errors = [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }];
    } else base.text = { body: input.text ?? '' };
    base.type = type;
    if (type !== 'reaction') this.lastCustomerAt.set(`${input.phoneNumberId}:${input.from}`, now);
    const m = this.remember({
      id,
      phoneNumberId: input.phoneNumberId,
      customer: input.from,
      direction: 'in',
      type,
      text: input.reply?.title ?? input.reaction?.emoji ?? input.text ?? '',
      mediaId,
      fileName: input.file?.name ?? null,
      buttons: [],
      contextId: input.contextId ?? null,
      status: 'delivered',
      errorCode: null,
      at: now,
      raw: base,
    });
    await this.post(input.phoneNumberId, { contacts: [{ profile: { name: input.name }, wa_id: input.from }], messages: [base] });
    return m;
  }

  /** The customer opens the chat: what was delivered becomes read. */
  async customerReads(phoneNumberId: string, customer: string): Promise<number> {
    const unread = this.messages.filter((m) => m.direction === 'out' && m.phoneNumberId === phoneNumberId && m.customer === customer && (m.status === 'sent' || m.status === 'delivered'));
    for (const m of unread) await this.status(m, 'read');
    return unread.length;
  }

  storeMedia(bytes: Buffer, mime: string, name: string | null): string {
    const id = `${Date.now()}${++this.seq}`;
    this.media.set(id, { bytes, mime, name });
    if (this.media.size > 500) this.media.delete(this.media.keys().next().value!);
    return id;
  }

  mediaOf(id: string) {
    return this.media.get(id) ?? null;
  }

  private failureFor(to: string): FakeFailure | null {
    const i = this.failures.findIndex((f) => !f.to || f.to === to);
    if (i < 0) return null;
    const f = this.failures[i]!;
    if (f.times !== undefined && --f.times <= 0) this.failures.splice(i, 1);
    return f;
  }

  /** Handles `POST /{phone-number-id}/messages`. */
  async send(phoneNumberId: string, token: string | undefined, body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const n = this.number(phoneNumberId);
    if (!n || n.phoneNumberId !== phoneNumberId) return graphError(400, 100, `Unsupported post request. Object with ID '${phoneNumberId}' does not exist`);
    if (token !== `Bearer ${n.accessToken}`) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    const to = typeof body.to === 'string' ? body.to.replace(/\D/g, '') : '';
    const type = typeof body.type === 'string' ? body.type : 'text';
    if (body.messaging_product !== 'whatsapp' || !to) return graphError(400, 100, '(#100) Invalid parameter');
    const forced = this.failureFor(to);
    if (forced && !forced.reported) return graphError(forced.http, forced.code, forced.message);
    const content = (body[type] ?? {}) as Record<string, unknown>;
    let text = '';
    let buttons: { id: string; title: string }[] = [];
    if (type === 'text') text = String((content as { body?: unknown }).body ?? '');
    else if (type === 'template') {
      const t = content as { name?: string; language?: { code?: string }; components?: { parameters?: { text?: string }[] }[] };
      const template = this.templates.find((x) => x.name === t.name && x.language === t.language?.code);
      if (!template || template.status !== 'APPROVED') return graphError(404, 132001, `(#132001) Template name does not exist in the translation`);
      const params = t.components?.[0]?.parameters?.map((p) => p.text ?? '') ?? [];
      const bodyText = template.components.find((c) => c.type === 'BODY')?.text ?? '';
      const expected = (bodyText.match(/\{\{\d+\}\}/g) ?? []).length;
      if (params.length !== expected) return graphError(400, 132000, '(#132000) Number of parameters does not match the expected number of params');
      text = bodyText.replace(/\{\{(\d+)\}\}/g, (_, i: string) => params[Number(i) - 1] ?? '');
    } else if (type === 'interactive') {
      const i = content as { body?: { text?: string }; action?: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string }[] }[] } };
      text = i.body?.text ?? '';
      buttons = i.action?.buttons?.map((b) => b.reply) ?? i.action?.sections?.flatMap((s) => s.rows) ?? [];
    } else text = String((content as { caption?: unknown }).caption ?? '');
    const mediaId = typeof (content as { id?: unknown }).id === 'string' ? (content as { id: string }).id : null;
    const m = this.remember({
      id: this.wamid(),
      phoneNumberId,
      customer: to,
      direction: 'out',
      type,
      text,
      mediaId,
      fileName: typeof (content as { filename?: unknown }).filename === 'string' ? (content as { filename: string }).filename : null,
      buttons,
      contextId: (body.context as { message_id?: string } | undefined)?.message_id ?? null,
      status: 'accepted',
      errorCode: null,
      at: this.options.clock(),
      raw: body,
    });
    const last = this.lastCustomerAt.get(`${phoneNumberId}:${to}`);
    // A customer the fake never heard from (a conversation from before it started) counts as inside the window.
    const windowOpen = last === undefined || this.options.clock() - last < WINDOW_MS;
    // Like Meta: accepted now, then the outcome arrives as status webhooks.
    const reported = (async () => {
      if (forced) return this.status(m, 'failed', { code: forced.code, title: forced.message });
      if (type !== 'template' && !windowOpen) return this.status(m, 'failed', { code: 131047, title: 'Re-engagement message' });
      await this.status(m, 'sent');
      await this.status(m, 'delivered');
    })();
    this.reporting.add(reported);
    void reported.finally(() => this.reporting.delete(reported));
    return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: String(body.to), wa_id: to }], messages: [{ id: m.id, message_status: 'accepted' }] } };
  }
}
