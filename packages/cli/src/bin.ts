#!/usr/bin/env node
import { ExitCode } from './exit-code.js';
import { runCli } from './run-cli.js';

// `trax-webhooks forward --json | head -1`: the reader is gone, so there is nobody left to tell.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(ExitCode.OK);
  throw error;
});

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a usage error: show what broke (messages here never hold the key or secret).
    process.stderr.write(
      `trax-webhooks: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = ExitCode.INTERNAL;
  },
);
