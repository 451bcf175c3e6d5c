// Fastify 5: ours against what a user would install instead, and against the limit.
// Run: pnpm --filter @trax-webhooks/bench run bench:http:fastify
//      (ROUNDS=15 CONNECTIONS=32 per server WARMUP=5000 AMOUNT=10000 by default)
import fastifyPackage from 'fastify/package.json' with { type: 'json' };
import { runComparison } from './comparison.mjs';

await runComparison({
  name: 'http-fastify',
  framework: 'fastify',
  frameworkVersion: fastifyPackage.version,
  variants: {
    ours: {
      scheme: 'standard',
      dedupes: true,
      label: 'trax-webhooks plugin, Standard Webhooks (memory store)',
    },
    'ours-github': {
      scheme: 'github',
      dedupes: true,
      label: 'trax-webhooks plugin, GitHub-style preset',
    },
    octokit: {
      scheme: 'github',
      label: '@octokit/webhooks verifyAndReceive, scoped string route (no dedupe)',
    },
    svix: {
      scheme: 'standard',
      label: 'svix recipe: scoped buffer route + Webhook#verify (no dedupe)',
    },
    standardwebhooks: { scheme: 'standard', label: 'standardwebhooks recipe (no dedupe)' },
    'ours-own-logger': {
      scheme: 'standard',
      dedupes: true,
      diagnostic: true,
      label: 'diagnostic: the plugin with a logger option (no per-request log routing)',
    },
    'limit-async': {
      scheme: 'standard',
      dedupes: true,
      diagnostic: true,
      label: 'limit, async route',
    },
    'core-small-store': {
      scheme: 'standard',
      dedupes: true,
      diagnostic: true,
      label: 'core receive, store max 1000',
    },
    'core-nodereader': {
      scheme: 'standard',
      dedupes: true,
      diagnostic: true,
      label: 'core receive + readNodeBodyThen',
    },
    'core-receive-now': {
      scheme: 'standard',
      dedupes: true,
      diagnostic: true,
      label: "diagnostic: the limit's route calling core's receiveNow()",
    },
    'core-receive': {
      scheme: 'standard',
      dedupes: true,
      diagnostic: true,
      label: "diagnostic: the limit's route calling core's receive()",
    },
    limit: {
      scheme: 'standard',
      dedupes: true,
      label: 'the limit: hand-written, two-phase lru-cache dedupe',
    },
    'framework-one-route': {
      scheme: 'standard',
      diagnostic: true,
      frameworkOnly: true,
      label: 'diagnostic: Fastify alone (raw-body parser, fixed answer), an app of one route',
    },
    'framework-two-routes': {
      scheme: 'standard',
      diagnostic: true,
      frameworkOnly: true,
      label: 'diagnostic: the same with a GET /health route beside it',
    },
    // Run in every full run, not only as a diagnostic: the fair pair for ours ÷ the limit is
    // an app of more than one route, as every real app is (BENCHMARKS.md, "Where the time goes").
    'limit-with-health': {
      scheme: 'standard',
      dedupes: true,
      label: 'the limit in an app that also has a GET /health route',
    },
    'limit-github': {
      scheme: 'github',
      dedupes: true,
      label: 'the limit, GitHub-style scheme (same code, body-only HMAC)',
    },
    // The same fair pairing for the GitHub-style rows: octokit's recipe and the GitHub-style
    // limit, each in an app that also has GET /health (BENCHMARKS.md, "Fair pairs"). In every
    // full run since session 6: the proposed measures below are read from them.
    'octokit-with-health': {
      scheme: 'github',
      label: '@octokit/webhooks recipe in an app that also has a GET /health route',
    },
    'limit-github-with-health': {
      scheme: 'github',
      dedupes: true,
      label: 'the limit, GitHub-style scheme, in an app that also has a GET /health route',
    },
  },
  goals: [
    {
      comparison: 'Fastify: ours (GitHub-style) ÷ @octokit/webhooks',
      of: 'ours-github',
      over: 'octokit',
      op: '<',
      limit: 1.0,
    },
    { comparison: 'Fastify: ours ÷ svix recipe', of: 'ours', over: 'svix', op: '<', limit: 1.0 },
    {
      comparison: 'Fastify: ours ÷ standardwebhooks recipe',
      of: 'ours',
      over: 'standardwebhooks',
      op: '<',
      limit: 1.0,
    },
    { comparison: 'Fastify: ours ÷ the limit', of: 'ours', over: 'limit', op: '<=', limit: 1.05 },
    {
      comparison: 'Fastify: ours (GitHub-style) ÷ the limit (GitHub-style)',
      of: 'ours-github',
      over: 'limit-github',
      op: '<=',
      limit: 1.05,
    },
    // The fair form of the three rows above that the issue wrote against apps of one route
    // (issue 15's note). Any second route, decorator or onClose hook puts every request of a
    // Fastify app in a slower state (BENCHMARKS.md, "What flips Node's process.nextTick"); the
    // plugin has a decorator and an onClose hook, and so has any real app. So the peer and the
    // limit are measured beside a GET /health route too.
    {
      comparison:
        'Fastify, proposed fair form: ours (GitHub-style) ÷ @octokit/webhooks, both in an app with GET /health',
      of: 'ours-github',
      over: 'octokit-with-health',
      op: '<',
      limit: 1.0,
    },
    {
      comparison: 'Fastify, proposed fair form: ours ÷ the limit in an app with GET /health',
      of: 'ours',
      over: 'limit-with-health',
      op: '<=',
      limit: 1.05,
    },
    {
      comparison:
        'Fastify, proposed fair form: ours (GitHub-style) ÷ the limit (GitHub-style) in an app with GET /health',
      of: 'ours-github',
      over: 'limit-github-with-health',
      op: '<=',
      limit: 1.05,
    },
  ],
  // Reported beside the goals, not goals: how far the fastest correct code is from a peer.
  references: [
    {
      comparison: 'the limit (GitHub-style) ÷ @octokit/webhooks',
      of: 'limit-github',
      over: 'octokit',
    },
    { comparison: 'the limit ÷ standardwebhooks recipe', of: 'limit', over: 'standardwebhooks' },
    // Diagnostics (ONLY=…): what a second route in the app costs, and ours against the limit
    // when both live in an app of more than one route, as a real app is.
    {
      comparison: 'Fastify alone: two routes ÷ one route',
      of: 'framework-two-routes',
      over: 'framework-one-route',
    },
    {
      comparison: 'the limit in an app with GET /health ÷ the limit alone',
      of: 'limit-with-health',
      over: 'limit',
    },
    // Diagnostics (ONLY=…): core's receiver over HTTP in the limit's own route, and what the
    // plugin adds over that.
    {
      comparison: "core's receiveNow() in the limit's route ÷ the limit",
      of: 'core-receive-now',
      over: 'limit',
    },
    {
      comparison: "ours ÷ core's receiveNow() in the limit's route",
      of: 'ours',
      over: 'core-receive-now',
    },
    {
      comparison: '@octokit/webhooks in an app with GET /health ÷ @octokit/webhooks alone',
      of: 'octokit-with-health',
      over: 'octokit',
    },
  ],
});
