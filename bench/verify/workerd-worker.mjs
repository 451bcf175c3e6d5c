// Runs inside workerd (bench/verify/workerd.bench.mjs bundles it): `?task=…&n=…` verifies and
// parses the delivery of `?size=` n times, back to back, and answers how many passed. workerd's
// clocks stand still while a request computes (they move only with I/O), so the timing is
// taken outside, by the caller, as the difference between n and 0 runs.

import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { createVerifier, githubStyleScheme, parseEvent } from '@trax-webhooks/core';
import { Webhook } from 'standardwebhooks';

let state;
function setup(env) {
  const deliveries = JSON.parse(env.DELIVERIES);
  const ours = createVerifier({ secret: env.SECRET });
  const gh = createVerifier({ secret: env.PLAIN_SECRET, scheme: githubStyleScheme });
  const standard = new Webhook(env.SECRET);
  const tasks = {};
  for (const [size, d] of Object.entries(deliveries)) {
    const body = new TextEncoder().encode(d.standard.body);
    const ghBody = new TextEncoder().encode(d.github.body);
    tasks[size] = {
      ours: async () => parseEvent(body, (await ours(d.standard.headers, body)).id),
      standardwebhooks: async () => standard.verify(d.standard.body, d.standard.headers),
      'github-ours': async () => parseEvent(ghBody, (await gh(d.github.headers, ghBody)).id),
      'github-octokit': async () => {
        if (
          !(await octokitVerify(
            env.PLAIN_SECRET,
            d.github.body,
            d.github.headers['x-hub-signature-256'],
          ))
        )
          throw new Error('bad');
        return JSON.parse(d.github.body);
      },
    };
  }
  return tasks;
}

export default {
  async fetch(request, env) {
    state ??= setup(env);
    const url = new URL(request.url);
    const task = state[url.searchParams.get('size')][url.searchParams.get('task')];
    const n = Number(url.searchParams.get('n'));
    let passed = 0;
    for (let i = 0; i < n; i++) if ((await task()).type === 'stream.live') passed++;
    return Response.json({ passed });
  },
};
