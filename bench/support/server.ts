import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { SERVER_PROCESS_ENV } from '../../scripts/serverEnv.mjs';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerOptions {
  dataDir: string;
  /** `demo` on a fresh data dir; ignored by the server when the dir already holds a workspace. */
  seed?: 'demo' | 'empty';
  port?: number;
  logFile: string;
  /** Directory for `--cpu-prof` output; no profiling when absent. */
  profileDir?: string;
  env?: Record<string, string>;
  /** The script to run, from the repository's root (default: Atende's server). */
  script?: string;
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  origin: string;
  /** From spawn to the first `GET /api/health` answering 200. */
  startupMs: number;
  exited: Promise<number | null>;
  rssMb(): number;
  cpuMs(): number;
  io(): { wchar: number; syscw: number };
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

// A server outliving the bench would hold its port and memory: whatever is still running goes with us.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

const healthOnce = (origin: string): Promise<number> =>
  new Promise((resolve) => {
    const req = http.get(origin + '/api/health', { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
  });

export const readRssMb = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
};

/** CPU time (user + system) the process has used so far, in ms; /proc/<pid>/stat counts in clock ticks of 10 ms. */
export const readCpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/** Characters the process has written (files and sockets alike) and its write system calls, from /proc/<pid>/io. */
export const readIo = (pid: number): { wchar: number; syscw: number } => {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
  return { wchar: field('wchar'), syscw: field('syscw') };
};

/**
 * Starts `server/src/server.ts` as its own process (node --import tsx, so the
 * pid is the server's own and /proc/<pid>/status is its memory) and waits for
 * /api/health. Polls every 5 ms: the figure is start-to-serving.
 */
export const startServer = async (opts: ServerOptions, timeoutMs = 60_000): Promise<ServerProcess> => {
  const port = opts.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const log = openSync(opts.logFile, 'a');
  const script = opts.script ?? 'server/src/server.ts';
  // TypeScript sources go through tsx; a built bundle runs as it is.
  const nodeArgs = script.endsWith('.ts') ? ['--import', 'tsx'] : ['--enable-source-maps'];
  if (opts.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`);
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: repoRoot,
    env: {
      // As `npm start` runs it (scripts/serverEnv.mjs).
      ...SERVER_PROCESS_ENV,
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: opts.dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      // The load generator is hundreds of visitors on one address sending flat out: lift the widget's per-visitor limits.
      ATENDE_LIMITS: JSON.stringify({ widget: { sessionsPerAddressPerMinute: 1e9, sessionsPerChannelPerMinute: 1e9, messagesPerSessionPerMinute: 1e9, messagesPerChannelPerMinute: 1e9, requestsPerSecondTotal: 1e9 } }),
      ...(opts.seed && { ATENDE_SEED: opts.seed }),
      ...opts.env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  let dead = false;
  void exited.then(() => {
    dead = true;
    running.delete(child);
  });
  for (;;) {
    if (dead) throw new Error(`server exited before serving; see ${opts.logFile}`);
    if ((await healthOnce(origin)) === 200) break;
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`server not healthy after ${timeoutMs} ms; see ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const startupMs = performance.now() - started;
  const pid = child.pid!;
  return {
    child,
    pid,
    port,
    origin,
    startupMs,
    exited,
    rssMb: () => readRssMb(pid),
    cpuMs: () => readCpuMs(pid),
    io: () => readIo(pid),
    async stop(graceMs = 10_000) {
      if (dead) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
};

/** Where server/scripts/build.mjs writes the server bundle `npm start` runs. */
export const SERVER_BUNDLE_PATH = 'server/dist/server.mjs';

/** Builds the server bundle from the current sources (about two seconds). */
export const buildServerBundle = (): void => {
  const built = spawnSync(process.execPath, ['server/scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`the server bundle did not build (exit ${built.status ?? built.signal})`);
};
