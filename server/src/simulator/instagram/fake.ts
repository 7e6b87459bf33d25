import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { webhookQueue } from '../webhookQueue.ts';

/**
 * A fake Instagram messaging API speaking Meta's protocol: `POST /me/messages`
 * (Bearer token, `{recipient:{id}, message:{text | attachment}}`, the 24-hour
 * window unless sent with the HUMAN_AGENT tag) and `GET /{igsid}?fields=name,username`.
 * It sends signed webhooks (`object: "instagram"`) for what the customer
 * writes or deletes. The server's simulator and the tests use it.
 */
export interface FakeDm {
  id: string;
  customer: string;
  direction: 'in' | 'out';
  text: string;
  attachment: string | null;
  deleted: boolean;
  at: number;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;
const TAG_WINDOW_MS = 7 * WINDOW_MS;
const MAX_MESSAGES = 2000;
const MAX_PROFILES = 1000;

const igError = (status: number, code: number, message: string, subcode?: number) => ({
  status,
  body: { error: { message, type: 'IGApiException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: randomBytes(8).toString('hex') } },
});

export class FakeInstagram {
  readonly messages: FakeDm[] = [];
  readonly requests: { method: string; url: string; body: unknown }[] = [];
  private readonly profiles = new Map<string, { name: string; username: string }>();
  private readonly lastCustomerAt = new Map<string, number>();
  private readonly deliver = webhookQueue(() => this.options);
  private seq = 0;

  constructor(
    readonly options: {
      accountId: string;
      accessToken: string;
      appSecret: string;
      /** Where webhooks go (the Atende server's /webhooks/instagram). */
      webhookUrl: () => string;
      clock: () => number;
    },
  ) {}

  private mid(): string {
    return `aWdfZAG1faXRlbTo${randomBytes(9).toString('base64url')}${++this.seq}`;
  }

  private remember(m: FakeDm): FakeDm {
    this.messages.push(m);
    if (this.messages.length > MAX_MESSAGES) this.messages.splice(0, this.messages.length - MAX_MESSAGES);
    return m;
  }

  /** Signs and posts one webhook; webhooks leave one at a time, in order. */
  private post(customer: string, message: Record<string, unknown>): Promise<void> {
    const now = this.options.clock();
    const body = JSON.stringify({
      object: 'instagram',
      entry: [{ id: this.options.accountId, time: now, messaging: [{ sender: { id: customer }, recipient: { id: this.options.accountId }, timestamp: now, message }] }],
    });
    return this.deliver(body);
  }

  /** The customer (an Instagram-scoped id) writes a DM to the business. */
  async customerSends(input: { from: string; name?: string; username?: string; text: string }): Promise<FakeDm> {
    if (input.name || input.username) {
      this.profiles.set(input.from, { name: input.name ?? '', username: input.username ?? '' });
      if (this.profiles.size > MAX_PROFILES) this.profiles.delete(this.profiles.keys().next().value!);
    }
    const m = this.remember({ id: this.mid(), customer: input.from, direction: 'in', text: input.text, attachment: null, deleted: false, at: this.options.clock() });
    this.lastCustomerAt.set(input.from, m.at);
    await this.post(input.from, { mid: m.id, text: input.text });
    return m;
  }

  /** The customer unsends one of their DMs. */
  async customerDeletes(mid: string): Promise<boolean> {
    const m = this.messages.find((x) => x.id === mid && x.direction === 'in');
    if (!m || m.deleted) return false;
    m.deleted = true;
    await this.post(m.customer, { mid, is_deleted: true });
    return true;
  }

  /** Handles `POST /me/messages`. */
  send(token: string | undefined, body: Record<string, unknown>): { status: number; body: unknown } {
    if (token !== `Bearer ${this.options.accessToken}`) return igError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    const to = (body.recipient as { id?: unknown } | undefined)?.id;
    const message = body.message as { text?: unknown; attachment?: { type?: unknown; payload?: { url?: unknown } } } | undefined;
    if (typeof to !== 'string' || !to || !message || (typeof message.text !== 'string' && !message.attachment)) return igError(400, 100, '(#100) Invalid parameter');
    const last = this.lastCustomerAt.get(to);
    const tagged = body.tag === 'HUMAN_AGENT';
    // Only the customer can start a conversation; outside the window Meta refuses.
    if (last === undefined) return igError(400, 100, 'No matching user found', 2018001);
    if (this.options.clock() - last > (tagged ? TAG_WINDOW_MS : WINDOW_MS)) return igError(400, 10, 'This message is sent outside of allowed window.', 2534022);
    const url = message.attachment?.payload?.url;
    const m = this.remember({
      id: this.mid(),
      customer: to,
      direction: 'out',
      text: typeof message.text === 'string' ? message.text : '',
      attachment: typeof url === 'string' ? url : null,
      deleted: false,
      at: this.options.clock(),
    });
    return { status: 200, body: { recipient_id: to, message_id: m.id } };
  }

  profile(id: string, token: string | undefined): { status: number; body: unknown } {
    if (token !== `Bearer ${this.options.accessToken}`) return igError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    const p = this.profiles.get(id);
    if (!p) return igError(404, 100, `Unsupported get request. Object with ID '${id}' does not exist`);
    return { status: 200, body: { name: p.name, username: p.username, id } };
  }
}

/** Mounts the Graph routes of a fake Instagram on a Fastify instance (under the prefix it is registered with). */
export const fakeInstagramRoutes = (fake: FakeInstagram) => async (app: FastifyInstance) => {
  app.addHook('onRequest', async (req) => {
    fake.requests.push({ method: req.method, url: req.url, body: null });
    if (fake.requests.length > MAX_MESSAGES) fake.requests.splice(0, fake.requests.length - MAX_MESSAGES);
  });
  app.post('/me/messages', async (req, reply) => {
    fake.requests.at(-1)!.body = req.body;
    const r = fake.send(req.headers.authorization, (req.body ?? {}) as Record<string, unknown>);
    return reply.code(r.status).send(r.body);
  });
  app.get('/:id', async (req, reply) => {
    const r = fake.profile((req.params as { id: string }).id, req.headers.authorization);
    return reply.code(r.status).send(r.body);
  });
};
