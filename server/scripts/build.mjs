// Bundles the embedded server and the workspace packages it uses (core, mail)
// into one ES module, server/dist/server.mjs, so `npm start` loads plain
// JavaScript instead of compiling a few hundred TypeScript files at every
// start. npm packages stay external: they are installed, and better-sqlite3 is
// native. Files the server reads beside its sources (migrations, the
// simulators' pages) are still read from server/src: every `import.meta.url`
// of a bundled file becomes that file's own URL, relative to the bundle.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE = join(root, 'dist/server.mjs');

const sourceUrls = {
  name: 'atende-source-urls',
  setup(b) {
    // Bare imports other than the workspace's own packages are npm packages: leave them to Node.
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@atende/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const fromBundle = relative(dirname(SERVER_BUNDLE), args.path).split(sep).join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`);
      }
      return { contents, loader: 'ts' };
    });
  },
};

export const buildServer = () =>
  build({
    entryPoints: [join(root, 'src/server.ts')],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    plugins: [sourceUrls],
    // Bundled CommonJS code may call require(): give the module one.
    banner: { js: "import { createRequire as __atendeRequire } from 'node:module'; const require = __atendeRequire(import.meta.url);" },
    logLevel: 'warning',
  });

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildServer();
  console.log('server/dist/server.mjs built');
}
