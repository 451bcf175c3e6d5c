/**
 * One receiver and two workers on this machine: `pnpm start`. On other machines, run
 * `pnpm start:worker` (or `tsx worker.ts`) with the same REDIS_URL and queue name.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const children: ChildProcess[] = [
  fork(here('./receiver.ts'), { execArgv: ['--import', 'tsx'] }),
  fork(here('./worker.ts'), { execArgv: ['--import', 'tsx'] }),
  fork(here('./worker.ts'), { execArgv: ['--import', 'tsx'] }),
];
children[0]!.on('message', (message) => {
  const { listening } = message as { listening?: string };
  if (listening) {
    console.log(
      `[start] 1 receiver, 2 workers. Send one: npx @trax-webhooks/cli send stream.live --to ${listening}`,
    );
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGTERM');
  });
}
let left = children.length;
for (const child of children) child.on('exit', () => --left === 0 && process.exit(0));
