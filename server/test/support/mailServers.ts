/**
 * Real mail servers for the e-mail channel's tests: Dovecot (Debian's
 * `dovecot-imapd`, installed by `.ci/run`) serves the mailboxes over IMAP, and
 * an SMTP server (the `smtp-server` package) accepts mail on a loopback port
 * and delivers it into the recipient's Dovecot mailbox. Where Dovecot is not
 * installed, `startMailServers` answers why, and the suite skips with that line.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { SMTPServer } from 'smtp-server';

export interface MailServers {
  imap: { host: string; port: number };
  smtp: { host: string; port: number };
  password: string;
  /** Every message in a mailbox's INBOX, raw, oldest first. */
  inbox(user: string): Promise<string[]>;
  /** Puts a raw message into a mailbox (as if it had been delivered). */
  deliver(user: string, raw: string): Promise<void>;
  stop(): Promise<void>;
}

const DOVECOT = '/usr/sbin/dovecot';
const NOBODY = 65534;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/** Why the real servers cannot run here, or null when they can. */
export const mailServersUnavailable = (): string | null => {
  if (!existsSync(DOVECOT)) return 'Dovecot is not installed (apt-get install dovecot-imapd; .ci/run does it)';
  if (process.getuid?.() !== 0) return 'Dovecot runs its mail processes as another user: the tests need root (as in CI)';
  return null;
};

const waitForPort = async (port: number, child: ChildProcess, log: string) => {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createServer().listen(port, '127.0.0.1');
      socket.once('listening', () => socket.close(() => resolve(false)));
      socket.once('error', () => resolve(true));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`dovecot did not listen on ${port}: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
};

export const startMailServers = async (users: string[]): Promise<MailServers> => {
  const why = mailServersUnavailable();
  if (why) throw new Error(why);
  const dir = mkdtempSync(join(tmpdir(), 'atende-mail-'));
  chmodSync(dir, 0o755);
  const mail = join(dir, 'mail');
  mkdirSync(mail);
  chownSync(mail, NOBODY, NOBODY);
  const password = 'senha-de-teste';
  writeFileSync(join(dir, 'users'), users.map((u) => `${u}:{PLAIN}${password}`).join('\n') + '\n', { mode: 0o644 });
  const imapPort = await freePort();
  const log = join(dir, 'dovecot.log');
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${log}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${mail}/%u
mail_uid = ${NOBODY}
mail_gid = ${NOBODY}
first_valid_uid = 0
mailbox_idle_check_interval = 1 secs
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${NOBODY} gid=${NOBODY} home=${mail}/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
}
service anvil {
  chroot =
}
`,
  );
  const check = spawnSync(DOVECOT, ['-c', join(dir, 'dovecot.conf'), '-n'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`dovecot refused its configuration: ${check.stderr}`);
  const dovecot = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await waitForPort(imapPort, dovecot, log);

  const imapClient = async (user: string) => {
    const client = new ImapFlow({ host: '127.0.0.1', port: imapPort, secure: false, auth: { user, pass: password }, logger: false });
    await client.connect();
    return client;
  };
  const deliver = async (user: string, raw: string) => {
    const client = await imapClient(user);
    try {
      await client.append('INBOX', raw);
    } finally {
      await client.logout();
    }
  };

  // SMTP: accepts for known mailboxes only (with sub-addressing: `user+tag@domain` is `user@domain`,
  // as Postfix's recipient_delimiter does), and delivers by IMAP APPEND.
  const mailboxOf = (address: string) => address.toLowerCase().replace(/\+[^@]*@/, '@');
  const smtpPort = await freePort();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (users.includes(mailboxOf(address.address))) callback();
      else callback(Object.assign(new Error(`no mailbox ${address.address}`), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        Promise.all(session.envelope.rcptTo.map((r) => deliver(mailboxOf(r.address), raw))).then(
          () => callback(),
          (e: Error) => callback(e),
        );
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));

  return {
    imap: { host: '127.0.0.1', port: imapPort },
    smtp: { host: '127.0.0.1', port: smtpPort },
    password,
    deliver,
    async inbox(user) {
      const client = await imapClient(user);
      try {
        const lock = await client.getMailboxLock('INBOX');
        try {
          const out: string[] = [];
          const status = await client.status('INBOX', { messages: true });
          if (!status || !status.messages) return out;
          for await (const m of client.fetch('1:*', { source: true })) if (m.source) out.push(m.source.toString('utf8'));
          return out;
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
    },
    async stop() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      dovecot.kill('SIGTERM');
      await new Promise((r) => (dovecot.exitCode !== null ? r(null) : dovecot.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
