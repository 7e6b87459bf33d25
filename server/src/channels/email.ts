import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { SYSTEM, commandRegistry, executeCommand, refs, type Channel } from '@atende/core';
import { emailCarrier, receiveMail, type EmailInboundInput } from '@atende/core/email';
import { MailboxWatcher, parseRawMail, sendMail } from '@atende/mail';
import { adoptFile, findFile } from '../lib/files.ts';
import { storeBytes } from '../plugins/channels.ts';


/** Runs one raw mail through core's `receiveMail` on this server: files through the policy, then `inbound.receive`. */
export const receiveRawMail = async (app: FastifyInstance, channel: Channel, raw: Buffer): Promise<'received' | 'ignored'> => {
  const mailbox = channel.account?.id;
  if (!mailbox) throw new Error(`channel ${channel.id} has no address`);
  const { mail, files } = await parseRawMail(raw);
  const staged: string[] = [];
  const owner = `channel:${channel.id}`;
  return receiveMail({ id: channel.id, mailbox }, mail, files, {
    async storeFile(bytes, name) {
      const attachment = storeBytes(app, Buffer.from(bytes), name, owner);
      staged.push(attachment.id);
      return attachment;
    },
    async receive(input: EmailInboundInput) {
      const result = (await executeCommand(commandRegistry, app.deps, SYSTEM, 'inbound.receive', input)) as { ticketId: string; duplicate: boolean };
      // The files go where the message landed (a repeated mail's copies stay staged and expire).
      if (!result.duplicate)
        for (const id of staged) {
          const row = findFile(app, id);
          if (row && row.ticket_id === null) adoptFile(app, row, result.ticketId);
        }
      return result;
    },
    log: app.log,
  });
};

/**
 * The e-mail channel on the embedded server: one IMAP watcher per active
 * e-mail channel with an IMAP server (restarted when an admin changes the
 * channel or its password), and the SMTP carrier of the outbox.
 */
export default fp(
  async (app) => {
    const watchers = new Map<string, { key: string; watcher: MailboxWatcher }>();

    app.outbox.setCarrier(
      'email',
      emailCarrier({
        async smtpPassword(channelId) {
          return app.store.get(refs.channelSecrets(channelId))?.smtpPassword ?? '';
        },
        async lastCustomerMail(ticketId) {
          const recent = app.store.query({ collection: 'messages', parentId: ticketId, where: [['direction', '==', 'in']], orderBy: [['createdAt', 'desc']], limit: 20 });
          const mail = recent.find((m) => m.email && m.channelMessageId);
          return mail?.email && mail.channelMessageId ? { messageId: mail.channelMessageId, email: mail.email } : null;
        },
        async signature(sectorId) {
          return (sectorId ? app.store.get(refs.sector(sectorId))?.signature : '') ?? '';
        },
        async readFile(ticketId, attachment) {
          const row = findFile(app, attachment.id);
          if (!row || row.ticket_id !== ticketId) throw new Error(`file ${attachment.id} is not stored with ticket ${ticketId}`);
          return readFileSync(row.path);
        },
        send: (server, mail, files) => sendMail(server, mail, files.map((f) => ({ ...f, content: Buffer.from(f.content) }))),
      }),
    );

    const sync = () => {
      const channels = app.store.query({ collection: 'channels', where: [['type', '==', 'email']], orderBy: [] });
      const wanted = new Map<string, { key: string; start: () => MailboxWatcher }>();
      for (const channel of channels) {
        const imap = channel.mail?.imap;
        const password = app.store.get(refs.channelSecrets(channel.id))?.imapPassword ?? '';
        if (!channel.active || !imap?.user || !password || !channel.account?.id) continue;
        const key = JSON.stringify([imap, password]);
        wanted.set(channel.id, {
          key,
          start: () => {
            const watcher = new MailboxWatcher(
              { ...imap, password },
              async (raw) => {
                const current = app.store.get(refs.channel(channel.id));
                if (current) await receiveRawMail(app, current, raw.source);
              },
              app.log,
            );
            watcher.start();
            return watcher;
          },
        });
      }
      for (const [id, running] of watchers)
        if (wanted.get(id)?.key !== running.key) {
          void running.watcher.stop();
          watchers.delete(id);
        }
      for (const [id, want] of wanted) if (!watchers.has(id)) watchers.set(id, { key: want.key, watcher: want.start() });
    };

    app.store.onCommit((changes) => {
      if (changes.some((c) => c.ref.collection === 'channelSecrets' || (c.ref.collection === 'channels' && ((c.after ?? c.before) as Channel | null)?.type === 'email'))) sync();
    });
    app.addHook('onReady', async () => sync());
    app.addHook('preClose', async () => {
      await Promise.all([...watchers.values()].map((w) => w.watcher.stop()));
      watchers.clear();
    });
  },
  { name: 'email-channel', dependencies: ['db', 'outbox'] },
);
