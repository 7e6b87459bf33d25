import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The widget's modules (conformance/widget.ts drives them) import pure core files as `@core/…`, as in web/.
  resolve: { alias: { '@core': fileURLToPath(new URL('../core/src', import.meta.url)) } },
  test: {
    name: 'functions',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
