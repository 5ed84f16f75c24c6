import type { Reporter, TestModule, TestSuite } from 'vitest/node';
import { SERVICES, type Service } from './services.js';

declare module 'vitest' {
  interface TaskMeta {
    requires?: Service;
  }
}

/**
 * Ends the run with one line per suite that was skipped for lack of a system service, saying how to
 * enable it (services.ts). Prints nothing when every suite ran.
 */
export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const module of modules) {
      const skipped = (suite: TestSuite) =>
        suite.options.mode === 'skip' && suite.meta().requires !== undefined;
      for (const suite of module.children.allSuites()) {
        if (!skipped(suite)) continue;
        // Report the outermost skipped suite only.
        if (suite.parent.type === 'suite' && skipped(suite.parent)) continue;
        const service = SERVICES[suite.meta().requires!];
        lines.push(
          `skipped: ${module.moduleId.replace(`${process.cwd()}/`, '')} › ${suite.fullName} — needs ${service.name}: ${service.enable}`,
        );
      }
    }
    if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
