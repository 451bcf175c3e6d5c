import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** One script of the example (`tsx <script>`) running as a real process. */
export interface ExampleProcess {
  readonly child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects on timeout or exit. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends SIGTERM (once) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `tsx <script> [...args]` (what the example's `pnpm start` runs) in `exampleDir` as a
 * real process, with `env` added to this process's environment. Shared by every example's test.
 */
export function startExampleProcess(
  exampleDir: string,
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): ExampleProcess {
  const child = spawn(join(exampleDir, 'node_modules/.bin/tsx'), [script, ...args], {
    cwd: exampleDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
  }
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => output,
    async waitFor(pattern, timeoutMs = 20_000) {
      const started = Date.now();
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (child.exitCode !== null || Date.now() - started > timeoutMs)
          throw new Error(`no ${pattern} in the output of ${script}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
