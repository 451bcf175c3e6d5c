// Express 5: ours against what a user would install instead, and against the limit.
// Run: pnpm --filter @trax-webhooks/bench run bench:http:express
//      (ROUNDS=15 CONNECTIONS=32 per server WARMUP=5000 AMOUNT=10000 by default)
import expressPackage from 'express/package.json' with { type: 'json' };
import { runComparison } from './comparison.mjs';

await runComparison({
  name: 'http-express',
  framework: 'express',
  frameworkVersion: expressPackage.version,
  variants: {
    ours: {
      scheme: 'standard',
      dedupes: true,
      label: 'trax-webhooks, Standard Webhooks (memory store)',
    },
    'ours-github': { scheme: 'github', dedupes: true, label: 'trax-webhooks, GitHub-style preset' },
    octokit: { scheme: 'github', label: '@octokit/webhooks createNodeMiddleware (no dedupe)' },
    svix: { scheme: 'standard', label: 'svix recipe: express.raw + Webhook#verify (no dedupe)' },
    standardwebhooks: { scheme: 'standard', label: 'standardwebhooks recipe (no dedupe)' },
    stripe: {
      scheme: 'stripe',
      label: "Stripe's recipe: express.raw + constructEvent (no dedupe)",
    },
    limit: {
      scheme: 'standard',
      dedupes: true,
      label: 'the limit: hand-written, two-phase lru-cache dedupe',
    },
    'limit-github': {
      scheme: 'github',
      dedupes: true,
      label: 'the limit, GitHub-style scheme (same code, body-only HMAC)',
    },
  },
  goals: [
    {
      comparison: 'Express: ours (GitHub-style) ÷ @octokit/webhooks',
      of: 'ours-github',
      over: 'octokit',
      op: '<=',
      limit: 0.9,
    },
    { comparison: 'Express: ours ÷ svix recipe', of: 'ours', over: 'svix', op: '<=', limit: 0.9 },
    {
      comparison: 'Express: ours ÷ standardwebhooks recipe',
      of: 'ours',
      over: 'standardwebhooks',
      op: '<=',
      limit: 0.9,
    },
    {
      comparison: "Express: ours ÷ Stripe's recipe",
      of: 'ours',
      over: 'stripe',
      op: '<=',
      limit: 0.9,
    },
    { comparison: 'Express: ours ÷ the limit', of: 'ours', over: 'limit', op: '<=', limit: 1.05 },
    {
      comparison: 'Express: ours (GitHub-style) ÷ the limit (GitHub-style)',
      of: 'ours-github',
      over: 'limit-github',
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
  ],
});
