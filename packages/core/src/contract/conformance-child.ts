import { spawn } from 'node:child_process';

/**
 * How the suite starts the adapter's server in a process of its own (the 413 reproduction
 * needs the server and the client apart, as in production). The child reads its options,
 * JSON, from the environment variable {@link CONFORMANCE_OPTIONS_ENV} (a secret and the
 * adapter's options: `bodyLimit`, `bodyTimeoutMs`…), starts the server, and writes one line
 * `TRAX_CONFORMANCE_URL=<delivery url>` to stdout. It runs until it is killed.
 *
 * @example
 * ```ts
 * // test/support/conformance-server.ts, run with tsx
 * const options = JSON.parse(process.env.TRAX_CONFORMANCE_OPTIONS!);
 * const { url } = await startMyAdapter(options);
 * console.log(`TRAX_CONFORMANCE_URL=${url}`);
 * ```
 */
export interface ConformanceChildServer {
  command: string;
  args?: readonly string[];
  cwd?: string;
}

export const CONFORMANCE_OPTIONS_ENV = 'TRAX_CONFORMANCE_OPTIONS';
const URL_LINE = /TRAX_CONFORMANCE_URL=(\S+)/;

/** A running child server: its URL, and how to stop it (only this process is killed). */
export interface RunningChild {
  url: string;
  stop(): Promise<void>;
}

/** Starts the child with `options` and waits for its URL line (rejects after `timeoutMs`). */
export function startChildServer(
  child: ConformanceChildServer,
  options: object,
  timeoutMs = 30_000,
): Promise<RunningChild> {
  const proc = spawn(child.command, [...(child.args ?? [])], {
    cwd: child.cwd,
    env: { ...process.env, [CONFORMANCE_OPTIONS_ENV]: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    let timerCleared = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${why}: ${child.command} ${(child.args ?? []).join(' ')}\n${output}`));
    };
    const timer = setTimeout(() => fail('no TRAX_CONFORMANCE_URL line in time'), timeoutMs);
    for (const stream of [proc.stdout, proc.stderr]) {
      stream.setEncoding('utf8').on('data', (text: string) => {
        output += text;
        const match = URL_LINE.exec(output);
        if (match && !timerCleared) {
          timerCleared = true;
          clearTimeout(timer);
          resolve({ url: match[1]!, stop });
        }
      });
    }
    proc.once('error', (error) => fail(`could not start (${error.message})`));
    proc.once('exit', (code) => {
      if (!timerCleared) fail(`exited with ${code} before its URL line`);
    });
  });
}
