// Which Fastify receivers run with Node's `process.nextTick` in its slow compiled form:
//   node http/jit-state.mjs <variant> [<variant> …]      (Linux `perf` on the PATH; N=20000)
// TRAX_BENCH_BOOT_TURN=1 gives every app one turn of the event loop before its routes are
// registered (see variants/fastify-variants.mjs).
//
// All the variants named are started at once (a name may repeat: each is its own process),
// warmed up, then loaded together while `perf record` samples them. In the slow form, V8's code
// for `nextTick` calls into the runtime to define each tick object's symbol-keyed properties
// (`Runtime_DefineKeyedOwnPropertyInLiteral`, always reached from `nextTick` in the stacks
// sampled in session 6); in the fast form it never does. So a share of samples in that runtime
// function above zero marks the slow form. Which form a process gets is decided while the app
// boots and does not change afterwards (BENCHMARKS.md, session 6).
import { fork, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRequest, load } from '../support/load-generator.mjs';
import { PATH } from './bench-secrets.mjs';
import { signPool } from './signed-pool.mjs';
import { fastifyVariants } from './variants/fastify-variants.mjs';

const names = process.argv.slice(2);
if (names.length === 0) throw new TypeError('name at least one Fastify variant');
const COUNT = Number(process.env.N ?? 20_000);
const SLOW_MARK = 'Runtime_DefineKeyedOwnPropertyInLiteral';
// Checked before any server starts: a missing perf found later would leave them running.
if (spawnSync('perf', ['--version']).error) {
  throw new Error(
    'jit-state.mjs needs Linux perf on the PATH (Debian: apt-get install linux-perf)',
  );
}

const servers = [];
for (const name of names) {
  const scheme = fastifyVariants[name]?.scheme;
  if (!scheme) throw new TypeError(`unknown Fastify variant ${name}`);
  const child = fork(new URL('./server-process.mjs', import.meta.url), ['fastify', name]);
  const [{ port }] = await once(child, 'message');
  servers.push({ name, scheme, child, port });
}

/** Loads every server at once with `count` fresh deliveries each. */
function loadAll(count, offset) {
  return Promise.all(
    servers.map(({ scheme, port }) => {
      const host = `127.0.0.1:${port}`;
      const requests = signPool(scheme, count, offset).map((d) =>
        encodeRequest({ host, path: PATH, ...d }),
      );
      return load({ port, requests, connections: 32 });
    }),
  );
}

await loadAll(5_000, 0);
const dir = mkdtempSync(join(tmpdir(), 'trax-jit-state-'));
const data = join(dir, 'perf.data');
const pids = servers.map((s) => s.child.pid).join(',');
const perf = spawn('perf', [
  'record',
  '-q',
  '-e',
  'cpu-clock',
  '-F',
  '2999',
  '-o',
  data,
  '-p',
  pids,
]);
await new Promise((resolve) => setTimeout(resolve, 500));
await loadAll(COUNT, 5_000);
perf.kill('SIGINT');
await once(perf, 'exit');
for (const { child } of servers) child.send('stop');

const script = spawn('perf', ['script', '-i', data, '-F', 'pid,ip,sym']);
let text = '';
script.stdout.setEncoding('utf8').on('data', (chunk) => {
  text += chunk;
});
await once(script, 'exit');
rmSync(dir, { recursive: true, force: true });
const samples = new Map(servers.map((s) => [String(s.child.pid), { all: 0, slow: 0 }]));
for (const line of text.split('\n')) {
  const pid = line.trim().split(/\s+/, 1)[0];
  const counts = samples.get(pid);
  if (!counts) continue;
  counts.all++;
  if (line.includes(SLOW_MARK)) counts.slow++;
}
for (const { name, child } of servers) {
  const { all, slow } = samples.get(String(child.pid));
  const share = all ? (100 * slow) / all : 0;
  console.log(
    `${name.padEnd(28)} ${String(all).padStart(6)} samples, ${String(slow).padStart(3)} in ${SLOW_MARK} (${share.toFixed(2)} %): ${slow > 0 ? 'slow' : 'fast'} nextTick`,
  );
}
