import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

const api = process.env.ATENDE_API ?? 'http://localhost:3123';

// The agent console. The customers' chat widget has its own build (vite.widget.config.ts), so the two share no chunk.
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
      },
    },
  },
  server: {
    proxy: { '/api': { target: api, ws: true, changeOrigin: true } },
  },
});
