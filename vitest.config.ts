import { defineConfig } from 'vitest/config';
import PlainSummaryReporter from './scripts/plain-summary-reporter.ts';
import projects from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects,
    // Vitest's own summary, then one plain `N passed, N failed` line for CI logs.
    reporters: ['default', new PlainSummaryReporter()],
  },
});
