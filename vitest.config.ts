import { defineConfig } from 'vitest/config';

// One run for every workspace's unit and integration tests; each project has its own config.
export default defineConfig({
  test: {
    projects: ['core', 'server', 'functions', 'web'],
  },
});
