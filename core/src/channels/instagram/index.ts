import type { ChannelAdapter, HttpCall, SendContext } from '../types.ts';
import { metaHandshake } from '../meta.ts';
import { slidingWindow, WINDOW_MS } from '../window.ts';
import { parseInstagramWebhook } from './parse.ts';
import { buildInstagramSend, readInstagramAnswer } from './send.ts';

export { parseInstagramWebhook, INSTAGRAM_TEXT } from './parse.ts';
export { buildInstagramSend, readInstagramAnswer } from './send.ts';

/** With Meta's human-agent tag, a person may answer up to seven days after the customer's last message. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** The default base of every Instagram call (`ATENDE_INSTAGRAM_GRAPH_URL` overrides it). */
export const INSTAGRAM_GRAPH_URL = 'https://graph.instagram.com/v23.0';

export const instagramAdapter: ChannelAdapter = {
  type: 'instagram',
  parseWebhook: parseInstagramWebhook,
  verifyHandshake: metaHandshake,
  buildSend: (ctx: SendContext, message) => buildInstagramSend(ctx, message, ctx.humanAgentTag === true),
  readSendAnswer: readInstagramAnswer,
  // Instagram's attachment URLs are public CDN links: fetched without our token.
  mediaDownloadRequest: (_ctx, url): HttpCall => ({ method: 'GET', url, headers: {} }),
  profileRequest: (ctx, externalId): HttpCall => ({
    method: 'GET',
    url: `${ctx.baseUrl}/${encodeURIComponent(externalId)}?fields=name,username`,
    headers: { authorization: `Bearer ${ctx.secrets.accessToken}` },
  }),
  readProfile: (answer) => {
    const body = (answer.status === 200 && answer.body && typeof answer.body === 'object' ? answer.body : {}) as { name?: unknown; username?: unknown };
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim() : typeof body.username === 'string' && body.username ? `@${body.username}` : '';
    return name ? { name: name.slice(0, 120) } : null;
  },
  replyWindow: (lastCustomerMessageAt, now, options) => slidingWindow(lastCustomerMessageAt, now, options?.humanAgentTag ? HUMAN_AGENT_WINDOW_MS : WINDOW_MS),
};
