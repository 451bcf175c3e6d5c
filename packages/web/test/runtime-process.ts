import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** A fetch app served by a real runtime process, and how to stop it. */
export interface ServedApp {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts `command args…` (a server that prints `listening on <port>`) as a real process and
 * resolves once it listens. Its output is kept for the error when it does not.
 */
export async function serveWith(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs = 30_000,
  env: Record<string, string> = {},
): Promise<ServedApp> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
  }
  const exited = once(child, 'exit');
  const started = Date.now();
  for (;;) {
    const match = /listening on (\d+)/.exec(output);
    if (match) {
      return {
        url: `http://127.0.0.1:${match[1]}`,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${command} ${args.join(' ')} did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
