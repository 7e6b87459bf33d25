import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // What git ignores is not ours to lint (scratch dirs, data dirs, build output).
  { ignores: ['**/dist/**', 'functions/lib/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'data/**', '.data*/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // The core rules of eslint:recommended that TypeScript does not already cover (no @eslint/js dependency for a handful).
      'no-debugger': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-fallthrough': 'error',
      'no-self-assign': 'error',
      'no-unsafe-finally': 'error',
      'no-cond-assign': 'error',
      'no-dupe-else-if': 'error',
      'no-sparse-arrays': 'error',
      // `_`-prefixed names are deliberately unused (destructuring rests, positional arguments).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `a?.push(x) ?? m.set(k, [x])` and `cond ? del() : set()` are idioms here, not forgotten expressions.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // Formatting is not lint's job here; these fight any formatter.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  // core/ runs anywhere: no Node or browser globals. Everything else knows its platform.
  { files: ['server/**', 'functions/**', 'conformance/**', 'scripts/**', 'e2e/**', 'bench/**', '*.config.*', '**/*.config.*'], languageOptions: { globals: globals.node } },
  { files: ['web/**'], ignores: ['web/*.config.*'], languageOptions: { globals: globals.browser } },
  // The widget renders with @vue/reactivity alone (no runtime-dom) to stay inside its 30 KB budget.
  { files: ['web/src/widget/**', 'web/test/widget*'], rules: { 'vue/prefer-import-from-vue': 'off' } },
  { files: ['**/test/**'], languageOptions: { globals: { ...globals.node } } },
  // core/ is the bottom layer: it runs in Node, in the browser and in Cloud Functions, so it imports none of them
  // (the server and the functions hand it clocks, hashes and HTTP as plain functions).
  {
    files: ['core/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'core/ runs in the browser too: take what Node gives (crypto, fs) as a parameter from server/ or functions/.' },
            { regex: '^(fs|path|crypto|http|https|stream|os|child_process|url|buffer|zlib)$', message: 'core/ runs in the browser too: no Node built-ins.' },
            { regex: '^(firebase|firebase-admin|firebase-functions|@google-cloud)(/|$)', message: 'core/ knows no backend: Firebase belongs in functions/ and web/src/backend.' },
            { regex: '^(fastify|@fastify/|better-sqlite3|ws$)', message: 'core/ knows no backend: the embedded server belongs in server/.' },
            { regex: '^(vue|pinia|@vue/|vue-router|vue-i18n)(/|$)', message: 'core/ knows no UI: the SPA belongs in web/.' },
            { regex: '^@atende/(server|functions|web|mail)(/|$)', message: 'core/ is the bottom layer: nothing above it may be imported.' },
          ],
        },
      ],
    },
  },
  // Type-aware rules where a forgotten await loses work: a promise nobody awaits or catches is a silent failure.
  {
    files: ['core/src/**/*.ts', 'server/src/**/*.ts', 'functions/src/**/*.ts', 'mail/src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
);
