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
);
