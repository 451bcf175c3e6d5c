import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { startMockTraxApi } from '@trax-webhooks/testing';
import { type Feed, MOCK_API_KEY, mockApiNotes } from './feed.js';

export interface ForwardFeedOptions {
  /** The dashboard's own receiver, e.g. `http://127.0.0.1:3030/webhooks/trax`. */
  receiverUrl: string;
  /** The receiver's secret: the forwarder signs with it. */
  secret: string;
  studios: string[];
  intervalMs: number;
  mockPort: number;
  /** Where the forwarder's output goes, line by line. */
  print: (line: string) => void;
}

/** The installed `trax-webhooks` command (its package's `bin`), run with this Node: no shell, no PATH. */
const CLI_PACKAGE = createRequire(import.meta.url).resolve('@trax-webhooks/cli/package.json');
const CLI_BIN = join(
  dirname(CLI_PACKAGE),
  (JSON.parse(readFileSync(CLI_PACKAGE, 'utf8')) as { bin: Record<string, string> }).bin[
    'trax-webhooks'
  ]!,
);

/**
 * `--feed forward`: the mock TRaX API, polled by `trax-webhooks forward` in a child process,
 * which delivers each event to the dashboard's receiver as a signed webhook, with retries.
 * Handlers see `ctx.source === 'webhook'`, exactly as they will when TRaX sends webhooks.
 */
export async function startForwardFeed(options: ForwardFeedOptions): Promise<Feed> {
  const api = await startMockTraxApi({ apiKeys: [MOCK_API_KEY], port: options.mockPort });
  const args = [CLI_BIN, 'forward', '--to', options.receiverUrl, '--base-url', api.url];
  for (const studio of options.studios) args.push('--studio', studio);
  // Retries a few times quickly: a local receiver that answers 5xx is back in moments.
  args.push('--interval', `${options.intervalMs}ms`, '--schedule', '0,500ms,1s,2s,5s');
  const forwarder = spawn(process.execPath, args, {
    // The key and the secret go by environment, never as flags (they would show in `ps`).
    env: {
      ...process.env,
      TRAX_API_KEY: MOCK_API_KEY,
      TRAX_WEBHOOK_SECRET: options.secret,
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(forwarder, 'exit');
  let stopping = false;
  forwarder.once('exit', (code, signal) => {
    // Its own output said why; this says that webhooks stopped coming.
    if (!stopping)
      options.print(`forwarder exited (${signal ?? `code ${code}`}): no more webhooks`);
  });
  for (const stream of [forwarder.stdout, forwarder.stderr]) {
    createInterface({ input: stream }).on('line', (line) => options.print(`forwarder │ ${line}`));
  }
  return {
    notes: [
      ...mockApiNotes(api.url, options.studios[0]!),
      `forwarder: trax-webhooks forward → ${options.receiverUrl} (signed webhooks)`,
    ],
    async stop() {
      stopping = true;
      if (forwarder.exitCode === null && forwarder.signalCode === null) forwarder.kill('SIGTERM');
      await exited;
      await api.close();
    },
  };
}
