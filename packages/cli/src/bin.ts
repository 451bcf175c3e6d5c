// The CLI's entry, loaded by bin/trax-webhooks.js (the committed `trax-webhooks` command).
import { ExitCode } from './exit-code.js';
import { redactText } from './redact.js';
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
    // A bug, not a usage error: show what broke, without a URL's credentials or a known value.
    const hidden = [process.env.TRAX_WEBHOOK_SECRET, process.env.TRAX_API_KEY].filter(
      (value): value is string => value !== undefined,
    );
    process.stderr.write(
      redactText(
        `trax-webhooks: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
        hidden,
      ),
    );
    process.exitCode = ExitCode.INTERNAL;
  },
);
