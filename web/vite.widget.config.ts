import { resolve } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import { build, defineConfig, type Plugin } from 'vite';

/**
 * The customers' chat widget, built on its own into the console's `dist`:
 * no chunk shared with the console and no Vue runtime, so it stays within its
 * 30 KB gzip budget (DESIGN §10). `widgetBuild()` runs it at the end of every
 * console build, so `vite build` alone still yields the whole of `dist`.
 */
export default defineConfig({
  plugins: [tailwindcss()],
  // Pure core modules for the Firebase transport (the catalogue's authorization), without core's index.
  resolve: { alias: { '@core': fileURLToPath(new URL('../core/src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    // The console's build has just filled dist; keep it.
    emptyOutDir: false,
    // One entry chunk and the English texts loaded on demand: nothing worth preloading, so no preload helper either.
    modulePreload: false,
    rollupOptions: { input: { widget: fileURLToPath(new URL('./widget.html', import.meta.url)) } },
  },
});

/** Builds the widget after the console, into the same output directory (whatever `--outDir` said). */
export const widgetBuild = (): Plugin => {
  let outDir = '';
  let root = '';
  let mode = '';
  return {
    name: 'atende:widget-build',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      root = config.root;
      mode = config.mode;
    },
    async closeBundle() {
      // The console's root and mode, so the widget reads the same .env files (VITE_BACKEND, VITE_FIREBASE_*).
      await build({ configFile: fileURLToPath(import.meta.url), root, mode, build: { outDir } });
    },
  };
};
