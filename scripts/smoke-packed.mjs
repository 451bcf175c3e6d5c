// The packages as a user installs them, outside the workspace: packs every package, installs the
// tarballs with npm into a scratch app in the OS temp dir (with ioredis 6, npm's latest), then
//   1. a second `npm install` (an unmet peer range used to make every later install ERESOLVE),
//   2. imports every entry of every package in ESM and requires it in CJS (same export names),
//   3. runs the installed `trax-webhooks --help` (the bin from the tarball),
//   4. runs core's DeliveryStore contract suite against the packed Redis store on ioredis 6.
// A script .ci/run calls, not a vitest test: it needs the registry and a minute of npm, which
// neither `pnpm test` nor `vitest --watch` should pay; CI shows it as its own step.
//
//   node scripts/smoke-packed.mjs      # TRAX_REQUIRE_REDIS=1: step 4 fails instead of skipping
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, run } from './lib/workspace.mjs';
import { packPackages } from './pack-packages.mjs';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const started = Date.now();
const step = (text) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${text}`);

/** The catalog's version of a package, so the scratch app tests with what the workspace uses. */
function catalogVersion(name) {
  const line = readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8')
    .split('\n')
    .find((l) => l.trimStart().startsWith(`${name}:`));
  return line?.split(':')[1]?.split('#')[0]?.trim();
}

function redisAnswers() {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname);
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
  });
}

const app = mkdtempSync(join(tmpdir(), 'trax-webhooks-scratch-'));
try {
  step(`packing into ${app}/packed`);
  const tarballs = packPackages(join(app, 'packed'));
  const names = tarballs.map((file) =>
    JSON.parse(run('tar', ['-xzOf', file, 'package/package.json'])),
  );

  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'scratch-app', private: true, version: '1.0.0' }, null, 2),
  );
  const npm = (...args) =>
    run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });
  step(`npm install of ${tarballs.length} tarballs, express, fastify, ioredis@6 and vitest`);
  npm(
    'install',
    ...tarballs,
    'express',
    'fastify',
    'ioredis@^6',
    `vitest@${catalogVersion('vitest')}`,
  );
  step('a second npm install (no ERESOLVE)');
  npm('install');
  const ioredis = JSON.parse(
    readFileSync(join(app, 'node_modules/ioredis/package.json'), 'utf8'),
  ).version;
  if (!ioredis.startsWith('6.')) throw new Error(`expected ioredis 6, got ${ioredis}`);

  for (const manifest of names) {
    for (const subpath of Object.keys(manifest.exports)) {
      if (subpath === './package.json') continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      // The contract suite is made of vitest suites: it is loaded by vitest below.
      if (specifier.endsWith('/contract')) continue;
      const esm = run(
        'node',
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default').sort()))`,
        ],
        { cwd: app },
      ).trim();
      const cjs = run(
        'node',
        [
          '-e',
          `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)})).filter((k) => k !== 'default' && k !== '__esModule').sort()))`,
        ],
        { cwd: app },
      ).trim();
      const exported = JSON.parse(esm);
      if (exported.length === 0) throw new Error(`${specifier} exports nothing in ESM`);
      if (esm !== cjs)
        throw new Error(`${specifier}: ESM and CJS export different names\nESM ${esm}\nCJS ${cjs}`);
      step(`ok   import + require ${specifier} (${exported.length} exports)`);
    }
  }

  const help = run('npx', ['--no-install', 'trax-webhooks', '--help'], { cwd: app });
  if (!help.startsWith('Usage: trax-webhooks')) throw new Error(`unexpected --help:\n${help}`);
  step('ok   npx trax-webhooks --help (the bin from the tarball)');

  if (!(await redisAnswers())) {
    if (process.env.TRAX_REQUIRE_REDIS === '1')
      throw new Error(`TRAX_REQUIRE_REDIS=1 but no Redis answers at ${REDIS_URL}`);
    step(`skip the Redis store contract on ioredis ${ioredis}: no Redis answers at ${REDIS_URL}`);
  } else {
    writeFileSync(
      join(app, 'redis-store.contract.test.mjs'),
      `import { randomUUID } from 'node:crypto';
import { describeDeliveryStoreContract } from '@trax-webhooks/core/contract';
import { RedisDeliveryStore, recommendedRedisOptions } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';

const prefix = \`trax-smoke:\${randomUUID()}:\`;
const redis = new Redis(${JSON.stringify(REDIS_URL)}, recommendedRedisOptions);
describeDeliveryStoreContract('packed RedisDeliveryStore on ioredis ${ioredis}', {
  create: ({ leaseMs, ttlMs }) => new RedisDeliveryStore(redis, { prefix, leaseMs, ttlMs }),
  async cleanup() {
    const keys = await redis.keys(\`\${prefix}*\`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  },
});
`,
    );
    const report = run('npx', ['--no-install', 'vitest', 'run', '--reporter=dot'], { cwd: app });
    const summary = report.split('\n').filter((line) => /Tests\s+\d+ passed/.test(line));
    step(
      `ok   the DeliveryStore contract on the packed Redis store, ioredis ${ioredis}: ${summary.join(' ').trim()}`,
    );
  }
  step('packed packages: all good');
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  rmSync(app, { recursive: true, force: true });
}
