import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { traxWebhooks } from '@trax-webhooks/express';
import express from 'express';

import { SECRET } from '../../../test-support/fixtures.js';

export { SECRET };
export const BIN = fileURLToPath(new URL('../bin/trax-webhooks.js', import.meta.url));

export interface ReceivedEvent {
  type: string;
  studioId: unknown;
  deliveryId: string;
  source: string;
  attempt: number | undefined;
}

/**
 * A real Express app with @trax-webhooks/express. `failFirst` answers the first n deliveries
 * 500 before the middleware sees them (a receiver having a bad moment); `port` listens on a
 * given port (a receiver that comes up late).
 */
export async function startExpressReceiver(options: { failFirst?: number; port?: number } = {}) {
  const events: ReceivedEvent[] = [];
  const requests: Array<{ headers: Record<string, unknown>; status: number }> = [];
  const webhooks = traxWebhooks(SECRET);
  webhooks.onAny((event, ctx) => {
    events.push({
      type: event.type,
      studioId: event.data.studioId,
      deliveryId: ctx.deliveryId,
      source: ctx.source,
      attempt: ctx.attempt,
    });
  });
  const app = express();
  let failures = options.failFirst ?? 0;
  app.use((req, res, next) => {
    const request = { headers: { ...req.headers }, status: 0 };
    requests.push(request);
    res.on('finish', () => {
      request.status = res.statusCode;
    });
    if (failures > 0) {
      failures--;
      res.status(500).json({ ok: false, error: { code: 'TEMPORARILY_DOWN' } });
      return;
    }
    next();
  });
  app.use(webhooks);
  const server: Server = app.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/trax`,
    events,
    requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A running `trax-webhooks` child process. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      // A clean environment: no key or secret leaks in from the machine running the tests.
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = once(this.child, 'close').then(([code]) => code as number | null);
  }

  /** Resolves once stdout matches `pattern` (rejects after `timeoutMs`). */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no ${pattern} in stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** JSON lines of stdout. */
  records(): Array<Record<string, unknown>> {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }
}

/** A port nothing listens on (yet): taken from the OS, then released. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], env: Record<string, string> = {}) {
  const cli = new CliProcess(args, env);
  const code = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

/** Polls `check` until it is true (real time: child processes are involved). */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
