import { fileURLToPath, URL } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

/**
 * The customers' chat widget, built on its own after the console
 * (`vite build && vite build -c vite.widget.config.ts`), into the same `dist`:
 * no chunk shared with the console, no Vue runtime, so it stays within its
 * 30 KB gzip budget (DESIGN §10).
 */
export default defineConfig({
  plugins: [tailwindcss()],
  build: {
    outDir: 'dist',
    // The console's build has just filled dist; keep it.
    emptyOutDir: false,
    // One entry chunk and the English texts loaded on demand: nothing worth preloading, so no preload helper either.
    modulePreload: false,
    rollupOptions: { input: { widget: fileURLToPath(new URL('./widget.html', import.meta.url)) } },
  },
});
