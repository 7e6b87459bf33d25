import type { InboundEvent, InboundMedia, ParsedWebhook } from '../types.ts';
import { WebhookError } from '../types.ts';

/**
 * Instagram messaging webhooks (Instagram API with Instagram Login):
 * `{object: "instagram", entry: [{id, time, messaging: [{sender, recipient, timestamp, message | reaction | read | postback}]}]}`.
 * Customers' messages become `message` events; echoes of what the business
 * sent are skipped (Atende already has them); deletions, reactions and reads
 * become their own events. Story replies and mentions read as text the agent
 * understands, with the story's picture when Meta sends it.
 */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const KIND: Record<string, InboundMedia['kind']> = { image: 'image', video: 'video', audio: 'audio', file: 'document' };

/** Texts shown for what is not plain text (pt-BR: the agents' language; the thread keeps the link). */
export const INSTAGRAM_TEXT = {
  storyMention: '📣 Mencionou você em um story',
  storyReply: '↩️ Respondeu ao seu story',
  share: '🔗 Compartilhou uma publicação',
  reel: '🎬 Compartilhou um reel',
} as const;

const mediaOf = (attachment: Json, index: number, mid: string): InboundMedia | null => {
  const type = str(attachment.type) ?? '';
  const url = str(obj(attachment.payload)?.url);
  const kind = KIND[type] ?? (type === 'story_mention' ? 'image' : null);
  if (!kind || !url) return null;
  return { ref: url, kind, mime: null, name: kind === 'document' ? `arquivo-${mid.slice(-6)}-${index + 1}` : null, voice: false, sha256: null };
};

export const parseInstagramWebhook = (body: unknown): ParsedWebhook => {
  const root = obj(body);
  if (!root || root.object !== 'instagram') throw new WebhookError('not an Instagram webhook', [{ path: 'object', message: 'must be "instagram"' }]);
  if (!Array.isArray(root.entry)) throw new WebhookError('an Instagram webhook carries entries', [{ path: 'entry', message: 'must be an array' }]);
  const events: InboundEvent[] = [];
  const ignored: string[] = [];
  const accounts = new Set<string>();
  root.entry.forEach((rawEntry, e) => {
    const entry = obj(rawEntry);
    const account = str(entry?.id);
    if (!entry || !account) {
      ignored.push(`entry[${e}]: no account id`);
      return;
    }
    accounts.add(account);
    if (!Array.isArray(entry.messaging)) {
      // Comments and mentions on posts arrive as `changes`: not conversations.
      ignored.push(`entry[${e}]: no messaging (${arr(entry.changes).length} changes)`);
      return;
    }
    entry.messaging.forEach((rawItem, m) => {
      const where = `entry[${e}].messaging[${m}]`;
      const item = obj(rawItem);
      const sender = str(obj(item?.sender)?.id);
      const at = typeof item?.timestamp === 'number' ? item.timestamp : 0;
      if (!item || !sender) {
        ignored.push(`${where}: no sender`);
        return;
      }
      const message = obj(item.message);
      if (message) {
        const mid = str(message.mid);
        if (!mid) return void ignored.push(`${where}: message without mid`);
        if (message.is_echo === true) return void ignored.push(`${where}: echo of a message the business sent`);
        if (message.is_deleted === true) return void events.push({ kind: 'deleted', account, externalId: sender, channelMessageId: mid, at });
        if (message.is_unsupported === true)
          return void events.push({ kind: 'message', account, externalId: sender, contact: {}, channelMessageId: mid, at, text: '', media: [], replyToChannelMessageId: null, unsupportedType: 'unsupported' });
        const attachments = arr(message.attachments).map(obj).filter((a): a is Json => a !== null);
        const lines: string[] = [];
        const replyTo = obj(message.reply_to);
        const story = obj(replyTo?.story);
        if (story) lines.push(INSTAGRAM_TEXT.storyReply + (str(story.url) ? `: ${str(story.url)}` : ''));
        for (const a of attachments) {
          const type = str(a.type);
          const url = str(obj(a.payload)?.url);
          if (type === 'story_mention') lines.push(INSTAGRAM_TEXT.storyMention);
          else if (type === 'share') lines.push(`${INSTAGRAM_TEXT.share}${url ? `: ${url}` : ''}`);
          else if (type === 'ig_reel' || type === 'reel') lines.push(`${INSTAGRAM_TEXT.reel}${url ? `: ${url}` : ''}`);
        }
        const text = [...lines, str(message.text) ?? ''].filter(Boolean).join('\n');
        const media = attachments.map((a, i) => mediaOf(a, i, mid)).filter((x): x is InboundMedia => x !== null);
        const unknown = attachments.map((a) => str(a.type) ?? '?').filter((t) => !(t in KIND) && !['story_mention', 'share', 'ig_reel', 'reel'].includes(t));
        events.push({
          kind: 'message',
          account,
          externalId: sender,
          contact: {},
          channelMessageId: mid,
          at,
          text,
          media,
          replyToChannelMessageId: str(replyTo?.mid),
          unsupportedType: !text && media.length === 0 ? (unknown[0] ?? 'empty') : null,
        });
        return;
      }
      const reaction = obj(item.reaction);
      if (reaction) {
        const target = str(reaction.mid);
        if (!target) return void ignored.push(`${where}: reaction without mid`);
        const emoji = reaction.action === 'unreact' ? null : (str(reaction.emoji) ?? '❤️');
        events.push({ kind: 'reaction', account, externalId: sender, channelMessageId: `${target}:reaction:${sender}:${at}`, targetChannelMessageId: target, emoji, at });
        return;
      }
      const read = obj(item.read);
      if (read) {
        const mid = str(read.mid);
        if (!mid) return void ignored.push(`${where}: read without mid`);
        events.push({ kind: 'status', account, channelMessageId: mid, status: 'read', at, failure: null });
        return;
      }
      const postback = obj(item.postback);
      if (postback) {
        const mid = str(postback.mid) ?? `postback:${sender}:${at}`;
        const title = str(postback.title) ?? str(postback.payload) ?? '';
        events.push({ kind: 'message', account, externalId: sender, contact: {}, channelMessageId: mid, at, text: title, media: [], replyToChannelMessageId: null, unsupportedType: title ? null : 'postback' });
        return;
      }
      ignored.push(`${where}: ${Object.keys(item).filter((k) => !['sender', 'recipient', 'timestamp'].includes(k)).join(',') || 'empty'} not handled`);
    });
  });
  return { events, ignored, accounts: [...accounts] };
};
