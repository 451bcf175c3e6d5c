/**
 * Starts several copies of server.ts, one port each, sharing one Redis and one key prefix:
 * `pnpm start:cluster`. Send the same delivery to two of them and watch one run the handlers.
 *
 * `PROCESSES` (default 2) copies listen on `PORT`, `PORT + 1`, … (default 3001; `0`: free ports).
 * Every other variable (REDIS_URL, TRAX_WEBHOOK_SECRET, TRAX_REDIS_PREFIX, HANDLER_DELAY_MS) is
 * passed on as it is. Ctrl-C or SIGTERM stops them all.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const count = Number(process.env.PROCESSES ?? 2);
if (!Number.isInteger(count) || count < 1)
  throw new TypeError('PROCESSES must be an integer, 1 or more');
const basePort = Number(process.env.PORT ?? 3001);
if (!Number.isInteger(basePort) || basePort < 0) throw new TypeError('PORT must be a port number');

const serverPath = fileURLToPath(new URL('./server.ts', import.meta.url));
const urls: string[] = [];
let listening = 0;
const children: ChildProcess[] = [];

for (let i = 0; i < count; i++) {
  // fork() reuses this process's execArgv, i.e. tsx's loader: server.ts runs as TypeScript.
  const child = fork(serverPath, [], {
    env: { ...process.env, PORT: String(basePort === 0 ? 0 : basePort + i) },
  });
  child.on('message', (message: { listening?: string }) => {
    if (message.listening === undefined) return;
    urls[i] = message.listening;
    if (++listening === count) printTryThis();
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    // One copy dying is worth knowing about; the others keep serving. With none left, stop.
    console.error(`[cluster] a receiver exited (${signal ?? `code ${code}`})`);
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(1);
  });
  children.push(child);
}

function printTryThis(): void {
  const [first, second = first] = urls;
  console.log(`[cluster] ${count} receivers, one dedupe store in Redis. Send one delivery to two of them:
  # in another terminal, with TRAX_WEBHOOK_SECRET set to the receivers' secret
  pnpm exec trax-webhooks send stream.live --id msg_demo_1 --to ${first} --data '{"studioId":"st_1"}'
  pnpm exec trax-webhooks send stream.live --id msg_demo_1 --to ${second} --data '{"studioId":"st_1"}'
The handlers run once; the second copy is acknowledged as a duplicate.`);
}

let stopping = false;
async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Each receiver drains and quits Redis on SIGTERM (Ctrl-C may have reached them already).
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  process.exit(0);
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
