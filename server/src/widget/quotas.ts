import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkNewTicket, CommandError, LIMITS, newTicketQueries, type CustomerActor } from '@atende/core';
import { stagedBy, stagedTotal } from '../lib/files.ts';
import { limiter } from '../lib/limiter.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The widget's abuse limits (LIMITS.widget), keyed on what a visitor cannot
 * choose: their session (given by the server), the channel, and the
 * client address as the trusted proxy saw it; plus one ceiling for all.
 * Counting is @fastify/rate-limit's; quotas on stored things are counted
 * where they are stored.
 */
export const createWidgetQuotas = (app: FastifyInstance) => {
  const W = LIMITS.widget;
  const sessionKey = (r: FastifyRequest) => r.customer?.tokenHash ?? `anon:${r.ip}`;
  const channelKey = (r: FastifyRequest) => r.customer?.actor.channelId ?? (r.params as { channelId?: string }).channelId ?? '';
  const hook = (name: string, max: number, timeWindow: number, key: (r: FastifyRequest) => string) => limiter(app, { name: `widget-${name}`, max, timeWindow, key });

  return {
    /** Every widget request counts against one global ceiling. */
    global: hook('all', W.requestsPerSecondTotal, 1000, () => '*'),
    newSession: [
      hook('session-ip', W.sessionsPerAddressPerMinute, MINUTE, (r) => r.ip),
      hook('session-channel', W.sessionsPerChannelPerMinute, MINUTE, channelKey),
    ],
    message: [hook('message-session', W.messagesPerSessionPerMinute, MINUTE, sessionKey), hook('message-channel', W.messagesPerChannelPerMinute, MINUTE, channelKey)],
    upload: [hook('upload-session', W.uploadsPerSessionPerHour, HOUR, sessionKey)],

    /** A message that would open a ticket is refused once the session opened LIMITS.widget.ticketsPerSessionPerHour in the last hour (core's rule). */
    checkNewTicket(actor: CustomerActor) {
      const { open, recent } = newTicketQueries(actor, app.clock());
      // Counted, not read: every widget message asks this, and its live ticket is a kilobyte of JSON.
      if (app.store.count(open) > 0) return;
      checkNewTicket(0, app.store.count(recent));
    },

    /** What this customer may still stage: the largest file they may send now (refusing when no room is left). */
    stagingRoom(owner: string, maxFile: number): number {
      const mine = stagedBy(app, owner);
      if (mine.files >= W.maxStagedFilesPerSession)
        throw new CommandError('resource-exhausted', `Envie os arquivos já anexados antes de anexar mais (máximo ${W.maxStagedFilesPerSession}). (Send the files already attached first.)`, [
          { path: 'file', message: `at most ${W.maxStagedFilesPerSession} files waiting to be sent` },
        ]);
      const room = Math.min(maxFile, W.maxStagedBytesPerSession - mine.bytes, W.maxStagedBytesTotal - stagedTotal(app));
      if (room <= 0)
        throw new CommandError('resource-exhausted', 'Espaço para anexos esgotado por ora: envie os já anexados ou tente mais tarde. (No room for more files now.)', [
          { path: 'file', message: 'staged upload quota reached' },
        ]);
      return room;
    },
  };
};
