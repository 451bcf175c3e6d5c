import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects,
    // The runner's own summary ends every run, in CI too.
    reporters: ['default'],
  },
});
