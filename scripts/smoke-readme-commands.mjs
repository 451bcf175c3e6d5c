// The commands the READMEs show, run as a user types them in the clone after the quick start:
//   1. `pnpm exec trax-webhooks --help` at the root and in every example;
//   2. the Express example started as its README says, then `pnpm exec trax-webhooks send`
//      from that example twice with one --id: "Delivered", then "duplicate".
// A script .ci/run calls (not a vitest test): it drives pnpm itself, the way the README does.
//
//   node scripts/smoke-readme-commands.mjs
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from './ensure-built.mjs';
import { pnpm, ROOT, run } from './lib/workspace.mjs';

const [npx, pnpmArgs] = pnpm();
const step = (text) => console.log(text);

/** Starts a long-running command in its own process group; resolves once `ready` matches. */
function startServer(args, env, ready, timeoutMs = 30_000) {
  const child = spawn(npx, [...pnpmArgs, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`\`pnpm ${args.join(' ')}\` did not print ${ready} in time:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ match, stop, output: () => output });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`\`pnpm ${args.join(' ')}\` exited ${code} before it was ready:\n${output}`),
      );
    });
  });
}

let server;
try {
  ensureBuilt();
  const examples = readdirSync(join(ROOT, 'examples'))
    .map((name) => `examples/${name}`)
    .filter((dir) => existsSync(join(ROOT, dir, 'package.json')));
  const dirs = ['.', ...examples];
  for (const dir of dirs) {
    const help = run(npx, [...pnpmArgs, 'exec', 'trax-webhooks', '--help'], {
      cwd: join(ROOT, dir),
    });
    if (!help.startsWith('Usage: trax-webhooks'))
      throw new Error(`${dir}: unexpected --help:\n${help}`);
    step(`ok   pnpm exec trax-webhooks --help   (in ${dir})`);
  }

  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  server = await startServer(
    ['--filter', '@trax-webhooks/example-express', 'start'],
    { TRAX_WEBHOOK_SECRET: secret, PORT: '0' },
    /listening on (http:\/\/\S+)/,
  );
  const url = server.match[1];
  step(`ok   pnpm --filter @trax-webhooks/example-express start   (${url})`);
  const id = `msg_readme_${randomBytes(4).toString('hex')}`;
  const sendOnce = () =>
    run(
      npx,
      [
        ...pnpmArgs,
        'exec',
        'trax-webhooks',
        'send',
        'stream.live',
        '--id',
        id,
        '--to',
        url,
        '--data',
        '{"studioId":"st_1"}',
      ],
      { cwd: join(ROOT, 'examples/express'), env: { TRAX_WEBHOOK_SECRET: secret } },
    );
  const first = sendOnce();
  if (!/Delivered stream\.live \(msg_readme_\w+\)\.\n/.test(first))
    throw new Error(`the first send was not delivered:\n${first}`);
  step('ok   pnpm exec trax-webhooks send stream.live …   (in examples/express): Delivered');
  const second = sendOnce();
  if (!/Delivered stream\.live .*\(duplicate\)/.test(second))
    throw new Error(`the second send with the same --id did not say duplicate:\n${second}`);
  step('ok   the same --id again: the receiver says duplicate');
  // The server's lines travel through pnpm and tsx: give them a moment to arrive.
  const deadline = Date.now() + 5_000;
  while (!/went live/.test(server.output()) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const ran = server.output().match(/went live/g)?.length ?? 0;
  if (ran !== 1)
    throw new Error(`the example's live handler ran ${ran} times, not once:\n${server.output()}`);
  step('ok   the example’s handlers ran once');
  step('README commands: all good');
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  server?.stop();
}
