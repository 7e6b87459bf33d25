import { ImapFlow } from 'imapflow';

export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
}

export interface MailboxLog {
  info(obj: unknown, msg: string): void;
  warn(obj: unknown, msg: string): void;
}

/** A fetched message: its UID in INBOX and its raw RFC 822 bytes. */
export interface RawMail {
  uid: number;
  source: Buffer;
}

/** How long one message may be: larger ones are left unread in the mailbox and logged. */
export const MAX_RAW_BYTES = 30 * 1024 * 1024;
const BATCH = 50;

/**
 * Watches one IMAP mailbox: reads every unseen message of INBOX, hands it to
 * `receive`, and flags it \Seen only once `receive` has stored it, so a crash
 * in between reads it again (the receipt makes that harmless). New mail is
 * noticed with IDLE where the server has it, and by polling every
 * `pollMs` besides (some servers drop IDLE silently). Reconnects with backoff.
 */
export class MailboxWatcher {
  private client: ImapFlow | null = null;
  private stopped = false;
  private draining: Promise<void> | null = null;
  private again = false;
  private poll: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Last error, for the admin's channel status; null once connected. */
  lastError: string | null = null;

  constructor(
    private readonly settings: ImapSettings,
    private readonly receive: (mail: RawMail) => Promise<void>,
    private readonly log: MailboxLog,
    private readonly pollMs = 60_000,
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.retry) clearTimeout(this.retry);
    await this.draining?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (client) await client.logout().catch(() => client.close());
  }

  /** Reads what is unseen now (also what `fetchOnce` uses on Firebase). */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          if (this.client) await readUnseen(this.client, this.receive, this.log);
        } while (this.again && !this.stopped);
      } catch (error) {
        this.log.warn({ err: error, mailbox: this.settings.user }, 'reading the mailbox failed');
      } finally {
        this.draining = null;
        // Wait for news at once (imapflow would only start IDLE after a quiet spell); any command ends it.
        if (this.client && !this.stopped) this.client.idle().catch(() => undefined);
      }
    })();
    return this.draining;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new ImapFlow({
      host: this.settings.host,
      port: this.settings.port,
      secure: this.settings.secure,
      auth: { user: this.settings.user, pass: this.settings.password },
      logger: false,
      // Loopback test servers and internal relays speak plain IMAP; TLS is the setting's choice.
      tls: { rejectUnauthorized: this.settings.secure },
      disableAutoIdle: false,
    });
    client.on('error', (err: Error) => this.log.warn({ err, mailbox: this.settings.user }, 'IMAP connection error'));
    client.on('close', () => {
      if (this.client === client) {
        this.client = null;
        this.scheduleReconnect('connection closed');
      }
    });
    client.on('exists', () => void this.drain());
    try {
      await client.connect();
      await client.mailboxOpen('INBOX');
      this.client = client;
      this.failures = 0;
      this.lastError = null;
      this.log.info({ mailbox: this.settings.user }, 'watching the mailbox');
      if (!this.poll) {
        this.poll = setInterval(() => void this.drain(), this.pollMs);
        this.poll.unref();
      }
      await this.drain();
    } catch (error) {
      this.lastError = (error as Error).message;
      client.close();
      this.scheduleReconnect(this.lastError);
    }
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped || this.retry) return;
    this.failures++;
    const delay = Math.min(5 * 60_000, 1_000 * 2 ** Math.min(this.failures, 8));
    this.log.warn({ mailbox: this.settings.user, reason, retryInMs: delay }, 'IMAP reconnect scheduled');
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, delay);
    this.retry.unref();
  }
}

/** One pass over INBOX's unseen messages, oldest first, in batches. */
export const readUnseen = async (client: ImapFlow, receive: (mail: RawMail) => Promise<void>, log: MailboxLog): Promise<number> => {
  const lock = await client.getMailboxLock('INBOX');
  let count = 0;
  try {
    const uids = ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b).slice(0, BATCH * 10);
    for (let i = 0; i < uids.length; i += BATCH) {
      const batch = uids.slice(i, i + BATCH);
      const fetched: RawMail[] = [];
      for await (const m of client.fetch(batch, { uid: true, source: { maxLength: MAX_RAW_BYTES + 1 }, size: true }, { uid: true })) {
        if (!m.source || (m.size ?? 0) > MAX_RAW_BYTES) {
          log.warn({ uid: m.uid, size: m.size }, 'mail larger than the limit left unread');
          continue;
        }
        fetched.push({ uid: m.uid, source: m.source });
      }
      for (const mail of fetched) {
        try {
          await receive(mail);
          await client.messageFlagsAdd(String(mail.uid), ['\\Seen'], { uid: true });
          count++;
        } catch (error) {
          // Refused by the policy or malformed: mark it read so it is not retried forever; the log says why.
          log.warn({ err: error, uid: mail.uid }, 'mail not received');
          await client.messageFlagsAdd(String(mail.uid), ['\\Seen'], { uid: true });
        }
      }
    }
  } finally {
    lock.release();
  }
  return count;
};

/**
 * One visit to a mailbox (Firebase's scheduled poll): connect, read every
 * unseen message through `receive` (flagged \Seen once stored), log out.
 * Resolves to how many mails were read; a connection or login failure rejects.
 */
export const fetchOnce = async (settings: ImapSettings, receive: (mail: RawMail) => Promise<void>, log: MailboxLog): Promise<number> => {
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
    tls: { rejectUnauthorized: settings.secure },
    connectionTimeout: 15_000,
  });
  client.on('error', (err: Error) => log.warn({ err, mailbox: settings.user }, 'IMAP connection error'));
  await client.connect();
  try {
    await client.mailboxOpen('INBOX');
    return await readUnseen(client, receive, log);
  } finally {
    await client.logout().catch(() => client.close());
  }
};
