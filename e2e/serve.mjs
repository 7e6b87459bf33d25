// The e2e web server: the real embedded server on a fresh, temporary data
// directory (so the demo workspace is seeded anew), removed when it stops.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAI } from './fake-ai.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'web/dist/index.html'))) {
  console.error('e2e: web/dist is missing; run `npm run build` (npm test does it for you)');
  process.exit(1);
}
const dataDir = mkdtempSync(join(tmpdir(), 'atende-e2e-'));
// The copilot's provider: a local fake speaking the OpenAI protocol (unless one is configured).
const ai = process.env.ATENDE_AI_BASE_URL ? null : await startFakeAI();
const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/src/server.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, DATA_DIR: dataDir, ...(ai && { ATENDE_AI_BASE_URL: ai.baseUrl, ATENDE_AI_MODEL: 'fake-e2e' }) },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
// If the runner dies without stopping us (SIGKILL on a timeout), do not outlive it.
const runner = process.ppid;
setInterval(() => process.ppid !== runner && server.kill('SIGTERM'), 2_000).unref();
server.on('exit', (code, signal) => {
  ai?.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 0 : 1));
});
