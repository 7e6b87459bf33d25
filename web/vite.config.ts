import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

const api = process.env.ATENDE_API ?? 'http://localhost:3123';

// Two entry points: the agent console and the customers' chat widget, each with its own bundle.
export default defineConfig({
  plugins: [vue(), tailwindcss()],
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
        widget: fileURLToPath(new URL('./widget.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: { '/api': { target: api, ws: true, changeOrigin: true } },
  },
});
