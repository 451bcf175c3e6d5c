import { defineConfig } from 'vitest/config';
import PlainSummaryReporter from './scripts/plain-summary-reporter.ts';
import projects from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects,
    // Builds dist once when it is missing or stale (child processes load it); tests use src.
    globalSetup: ['./test-support/global-setup.ts'],
    // Vitest's own summary, then one plain `N passed, N failed` line for CI logs.
    reporters: ['default', new PlainSummaryReporter()],
  },
});
