import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import { widgetBuild } from './vite.widget.config.ts';

const api = process.env.ATENDE_API ?? 'http://localhost:3123';

// The agent console; the customers' chat widget is built on its own right after it (vite.widget.config.ts), sharing no chunk.
export default defineConfig({
  plugins: [vue(), tailwindcss(), widgetBuild()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      // Pure core modules (policy, counter ids) without pulling zod into the console bundle.
      '@core': fileURLToPath(new URL('../core/src', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
      },
    },
  },
  server: {
    // The server accepts browsers from its own origin only (issue 10): the dev proxy speaks as that origin.
    proxy: { '/api': { target: api, ws: true, changeOrigin: true, headers: { origin: new URL(api).origin } } },
  },
});
