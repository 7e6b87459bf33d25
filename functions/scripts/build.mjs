// Bundles the functions and @atende/core (a workspace package that is not on npm)
// into functions/lib, with a package.json that names only what Cloud Build installs.
// functions/lib is what `firebase deploy` uploads and where it reads the functions'
// parameters from (`.env`, `.env.<project-id>`, `.env.<alias>`): the build copies
// functions/.env* (and .secret.local) there, so they live next to the sources and survive a clean build.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const runtimeDeps = ['firebase-admin', 'firebase-functions'];

await mkdir(join(root, 'lib'), { recursive: true });
await build({
  entryPoints: [join(root, 'src/index.ts')],
  outfile: join(root, 'lib/index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  external: runtimeDeps.flatMap((d) => [d, `${d}/*`]),
  // Bundled CommonJS dependencies may call require(): give ESM one.
  banner: { js: "import { createRequire as __atendeRequire } from 'node:module'; const require = __atendeRequire(import.meta.url);" },
  logLevel: 'warning',
});
await writeFile(
  join(root, 'lib/package.json'),
  `${JSON.stringify(
    {
      name: 'atende-functions',
      private: true,
      type: 'module',
      main: 'index.js',
      engines: { node: '22' },
      dependencies: Object.fromEntries(runtimeDeps.map((d) => [d, pkg.dependencies[d]])),
    },
    null,
    2,
  )}\n`,
);
// `.secret.local`: the secrets' values for the Functions emulator (docs/firebase.md, "Run the SPA against the emulators").
const envFiles = (await readdir(root)).filter((f) => f === '.env' || (f.startsWith('.env.') && f !== '.env.example') || f === '.secret.local');
for (const f of envFiles) await copyFile(join(root, f), join(root, 'lib', f));
console.log(`functions/lib/index.js built${envFiles.length > 0 ? ` (with ${envFiles.join(', ')})` : ''}`);
