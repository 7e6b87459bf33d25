// The e2e web server: the real embedded server on a fresh, temporary data
// directory (so the demo workspace is seeded anew), removed when it stops.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'web/dist/index.html'))) {
  console.error('e2e: web/dist is missing; run `npm run build` (npm test does it for you)');
  process.exit(1);
}
const dataDir = mkdtempSync(join(tmpdir(), 'atende-e2e-'));
const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/src/server.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, DATA_DIR: dataDir },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
// If the runner dies without stopping us (SIGKILL on a timeout), do not outlive it.
const runner = process.ppid;
setInterval(() => process.ppid !== runner && server.kill('SIGTERM'), 2_000).unref();
server.on('exit', (code, signal) => {
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 0 : 1));
});
