// A Vitest reporter that writes what `scripts/test.mjs` sums up, skip notes
// included (the built-in JSON reporter drops `ctx.skip(note)`), to the file
// named by ATENDE_VITEST_RESULTS.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const skipReason = (mode) =>
  mode === 'todo' ? 'todo' : mode === 'skip' ? 'skipped in code without a note (the title may say why)' : 'not run: its suite or file failed first';

export default class ResultsReporter {
  onTestRunEnd(testModules, unhandledErrors, reason) {
    const out = process.env.ATENDE_VITEST_RESULTS;
    if (!out) return;
    const tests = [];
    const brokenModules = [];
    for (const module of testModules) {
      const file = relative(process.cwd(), module.moduleId);
      const moduleErrors = module.errors();
      if (moduleErrors.length > 0) brokenModules.push({ file, errors: moduleErrors.map((e) => e.message) });
      // A failing beforeAll/afterAll belongs to its suite, not to a test: its tests show as skipped.
      for (const suite of module.children.allSuites()) {
        const suiteErrors = suite.errors();
        if (suiteErrors.length > 0) brokenModules.push({ file: `${file} › ${suite.fullName}`, errors: suiteErrors.map((e) => e.message) });
      }
      for (const test of module.children.allTests()) {
        const result = test.result();
        tests.push({
          name: `${test.project.name ? `[${test.project.name}] ` : ''}${file} › ${test.fullName}`,
          state: result.state,
          note: result.state === 'skipped' ? (result.note ?? skipReason(test.options.mode)) : undefined,
        });
      }
    }
    writeFileSync(
      out,
      JSON.stringify({ reason, tests, brokenModules, unhandledErrors: unhandledErrors.map((e) => e.message) }),
    );
  }
}
