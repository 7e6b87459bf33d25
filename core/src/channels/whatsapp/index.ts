import type { ChannelAdapter } from '../types.ts';
import { slidingWindow } from '../window.ts';
import { parseWhatsAppWebhook } from './parse.ts';
import {
  buildWhatsAppSend,
  readWhatsAppMediaInfo,
  readWhatsAppSendAnswer,
  readWhatsAppUpload,
  whatsAppMediaDownloadRequest,
  whatsAppMediaInfoRequest,
  whatsAppUploadRequest,
} from './send.ts';

export * from './parse.ts';
export * from './send.ts';
export * from './errors.ts';
export * from './phone.ts';

/** WhatsApp Business Cloud API (Meta's official HTTP API). */
export const whatsappAdapter: ChannelAdapter = {
  type: 'whatsapp',
  parseWebhook: (body) => parseWhatsAppWebhook(body),
  verifyHandshake: (query, verifyToken) =>
    query['hub.mode'] === 'subscribe' && verifyToken !== '' && query['hub.verify_token'] === verifyToken ? String(query['hub.challenge'] ?? '') : null,
  buildSend: buildWhatsAppSend,
  readSendAnswer: readWhatsAppSendAnswer,
  uploadRequest: whatsAppUploadRequest,
  readUpload: readWhatsAppUpload,
  mediaInfoRequest: whatsAppMediaInfoRequest,
  readMediaInfo: readWhatsAppMediaInfo,
  mediaDownloadRequest: whatsAppMediaDownloadRequest,
  replyWindow: (from, now) => slidingWindow(from, now),
};
