// CPU-profiles one receiver of the HTTP comparisons under load, and prints where its time went:
//   node http/profile.mjs <express|fastify> <variant> [requests]
// NODE_FLAGS="--trace-deopt …" adds flags to the server's node (a V8 experiment).
// The server runs with --cpu-prof in its own process; the profile lands in bench/.profiles/.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync } from 'node:fs';
import { encodeRequest, load } from '../support/load-generator.mjs';
import { summarise } from '../support/profile-summary.mjs';
import { PATH } from './bench-secrets.mjs';
import { signPool } from './signed-pool.mjs';
import { expressVariants } from './variants/express-variants.mjs';
import { fastifyVariants } from './variants/fastify-variants.mjs';

const [framework, variant, count = '40000'] = process.argv.slice(2);
const scheme = (framework === 'express' ? expressVariants : fastifyVariants)[variant].scheme;
const dir = new URL(`../.profiles/${framework}-${variant}-${Date.now()}/`, import.meta.url);
mkdirSync(dir, { recursive: true });
const child = fork(new URL('./server-process.mjs', import.meta.url), [framework, variant], {
  execArgv: [
    ...(process.env.NODE_FLAGS ? process.env.NODE_FLAGS.split(' ') : []),
    '--cpu-prof',
    `--cpu-prof-dir=${dir.pathname}`,
  ],
});
const [{ port }] = await once(child, 'message');
const host = `127.0.0.1:${port}`;
const requests = signPool(scheme, Number(count)).map((d) =>
  encodeRequest({ host, path: PATH, ...d }),
);
const result = await load({ port, requests, connections: 32 });
console.error(
  `${framework} ${variant}: ${result['2xx']} 2xx, ${result.non2xx} other, ${Math.round(result.rps)} req/s`,
);
child.send('stop');
await once(child, 'exit');
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
const { byFunction, byFile, totalMs } = summarise(new URL(file, dir));
const pct = (us) => `${((us / 1000 / totalMs) * 100).toFixed(1)}%`.padStart(6);
console.log(`${dir.pathname}${file}: ${totalMs.toFixed(0)} ms sampled\n\nby file:`);
for (const [f, us] of byFile.slice(0, 25)) console.log(`${pct(us)}  ${f}`);
console.log('\nby function:');
for (const [f, us] of byFunction.slice(0, 45)) console.log(`${pct(us)}  ${f}`);
