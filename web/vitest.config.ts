import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      // Pure core modules (policy, counter ids) without pulling zod into the console bundle.
      '@core': fileURLToPath(new URL('../core/src', import.meta.url)),
    },
  },
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    environment: 'happy-dom',
    // Some suites start a Firestore emulator or build a bundle in beforeAll: the same room as the other projects give.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
