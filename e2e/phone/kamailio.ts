/**
 * A real PBX for the softphone tests: Debian's Kamailio as registrar and
 * proxy, SIP over WebSocket on a free loopback port, digest authentication
 * with the accounts the test gives. `.ci/run` installs it
 * (`kamailio kamailio-websocket-modules`); where it cannot start,
 * `kamailioUnavailable()` says why in one line and the tests skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.KAMAILIO_PATH || '/usr/sbin/kamailio';
const MODULE_DIRS = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/aarch64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules', '/usr/lib64/kamailio/modules'];

export interface Pbx {
  wsUrl: string;
  domain: string;
  close(): Promise<void>;
  log(): string;
}

const moduleDir = () => MODULE_DIRS.find((d) => existsSync(join(d, 'websocket.so')));

/** Null when Kamailio and its WebSocket module are here; else the one line saying why not. */
export const kamailioUnavailable = (): string | null => {
  if (!existsSync(BIN)) return `Kamailio is not installed (${BIN}; apt-get install kamailio kamailio-websocket-modules)`;
  if (!moduleDir()) return 'Kamailio has no WebSocket module (apt-get install kamailio-websocket-modules)';
  const probe = spawnSync(BIN, ['-v'], { encoding: 'utf8' });
  if (probe.status !== 0) return `Kamailio does not run: ${(probe.stderr || probe.error?.message || '').split('\n')[0]}`;
  return null;
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port }, () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });

const quoted = (s: string) => `"${s.replace(/["\\]/g, '')}"`;

/** The configuration: WebSocket upgrade, REGISTER with digest auth, INVITEs routed to whoever registered the dialled user. */
const config = (port: number, domain: string, accounts: Record<string, string>, mpath: string) => `#!KAMAILIO
debug=2
log_stderror=yes
children=2
tcp_children=2
auto_aliases=no
listen=tcp:127.0.0.1:${port}
alias=${quoted(domain)}
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605

mpath=${quoted(mpath)}
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "auth.so"
loadmodule "nathelper.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"

modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")
modparam("rr", "enable_full_lr", 1)
modparam("websocket", "keepalive_mechanism", 0)

request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (nat_uac_test("64")) {
    force_rport();
    if (is_method("REGISTER")) fix_nated_register();
    else if (!add_contact_alias()) { sl_send_reply("400", "Bad Contact"); exit; }
  }
  if (has_totag()) {
    if (loose_route()) {
      if (!isdsturiset()) handle_ruri_alias();
      route(RELAY);
    }
    if (is_method("ACK") && t_check_trans()) route(RELAY);
    sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) {
    if (t_check_trans()) route(RELAY);
    exit;
  }
  t_check_trans();
  if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
  route(AUTH);
  if (is_method("REGISTER")) {
    if (!save("location")) sl_reply_error();
    exit;
  }
  if (is_method("INVITE")) record_route();
  if (!lookup("location")) { sl_send_reply("480", "Temporarily Unavailable"); exit; }
  route(RELAY);
}

route[AUTH] {
  ${Object.entries(accounts)
    .map(([user, password], i) => `${i ? 'else ' : ''}if ($fU == ${quoted(user)}) $var(password) = ${quoted(password)};`)
    .join('\n  ')}
  else { sl_send_reply("403", "Unknown user"); exit; }
  if (!pv_auth_check("$fd", "$var(password)", "0", "1")) {
    auth_challenge("$fd", "1");
    exit;
  }
  consume_credentials();
}

route[RELAY] {
  if (!t_relay()) sl_reply_error();
  exit;
}

onreply_route {
  if (nat_uac_test("64")) add_contact_alias();
}

event_route[xhttp:request] {
  if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
    if (ws_handle_handshake()) exit;
  }
  xhttp_reply("404", "Not Found", "", "");
}
`;

/** Starts Kamailio for these SIP accounts (user → password) and resolves once it accepts connections. */
export const startKamailio = async (domain: string, accounts: Record<string, string>): Promise<Pbx> => {
  const why = kamailioUnavailable();
  if (why) throw new Error(why);
  const dir = mkdtempSync(join(tmpdir(), 'atende-kamailio-'));
  const port = await freePort();
  const cfg = join(dir, 'kamailio.cfg');
  writeFileSync(cfg, config(port, domain, accounts, moduleDir()!));
  let output = '';
  const child: ChildProcess = spawn(BIN, ['-f', cfg, '-DD', '-E', '-m', '32', '-M', '8', '-w', dir, '-Y', dir, '-P', join(dir, 'kamailio.pid')], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // Its own process group: the main process and its workers end together, even if this test process dies first.
  const killAll = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  const onExit = () => killAll('SIGKILL');
  process.once('exit', onExit);
  const keep = (b: Buffer) => void (output = (output + b.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      killAll('SIGKILL');
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Kamailio did not start: ${output.split('\n').filter((l) => /ERROR|CRITICAL/.test(l))[0] ?? output.slice(-300)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    domain,
    log: () => output,
    async close() {
      killAll('SIGTERM');
      const timer = setTimeout(() => killAll('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
