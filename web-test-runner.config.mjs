// Browser tests in the system Chromium (never a downloaded browser), with
// TypeScript compiled on the fly by esbuild.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner';
import { chromiumArgs, executablePath } from './scripts/chromium.mjs';
import { relayForTests } from './test/server/relay-for-tests.mjs';
import { requestCounter } from './test/server/request-counter.mjs';
import { tsSources } from './scripts/ts-sources.mjs';
import { crossOrigin } from './test/server/cross-origin.mjs';
import { hostileFiles } from './test/server/hostile-files.mjs';

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  middleware: [requestCounter(), hostileFiles(), tsSources(), crossOrigin()],
  plugins: [relayForTests(), esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  // One page at a time: the sync tests sample every frame and share two cores.
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [...chromiumArgs, '--js-flags=--expose-gc'],
      },
    }),
  ],
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 10 * 60 * 1000,
  browserStartTimeout: 60000,
  coverage: true,
  coverageConfig: {
    include: ['src/**/*.ts'],
    exclude: ['src/types/**', 'src/relay/**'],
    report: true,
    reportDir: 'coverage',
    reporters: ['text-summary', 'lcov'],
    threshold: { statements: 85, branches: 75, functions: 85, lines: 85 },
  },
};
