#!/usr/bin/env node
// The `trax-webhooks` command. A committed file rather than dist/bin.js itself: pnpm links a
// workspace package's bins at install time, before anything is built, and warns "Failed to
// create bin" for a target that does not exist yet. This one exists from the clone on and
// loads the build when it runs.
import('../dist/bin.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin.js')) {
    process.stderr.write(
      'trax-webhooks: the CLI is not built yet. In a checkout, run `pnpm build` (or `pnpm demo` / `pnpm test`, which build it) first.\n',
    );
    process.exitCode = 70;
    return;
  }
  throw error;
});
