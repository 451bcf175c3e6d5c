// The Express 5 receivers of the comparison, each as a user would write it. Every one runs the
// same handler (`onEvent`) once per accepted delivery, and answers 2xx only after it ran.

import { createNodeMiddleware, Webhooks } from '@octokit/webhooks';
import { githubStyleScheme } from '@trax-webhooks/core';
import { traxWebhooks } from '@trax-webhooks/express';
import express from 'express';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { mountExpressLimit } from '../../limit/express-limit.mjs';
import { PATH, PLAIN_SECRET, STANDARD_SECRET } from '../bench-secrets.mjs';

/** The svix / standardwebhooks recipe (svix wraps standardwebhooks): one `Webhook#verify`. */
function verifyRecipe(app, wh, onEvent) {
  app.post(PATH, express.raw({ type: 'application/json' }), (req, res) => {
    let event;
    try {
      event = wh.verify(req.body, req.headers);
    } catch {
      res.status(400).json({});
      return;
    }
    onEvent(event);
    res.json({});
  });
}

/** Each variant: the scheme its requests are signed with, and how it mounts on `app`. */
export const expressVariants = {
  /** `app.use(traxWebhooks(secret))`: Standard Webhooks, memory store, one handler. */
  ours: {
    scheme: 'standard',
    mount(app, onEvent) {
      const webhooks = traxWebhooks({ secret: STANDARD_SECRET, path: PATH });
      webhooks.onStreamLive(onEvent);
      app.use(webhooks);
    },
  },
  /** Ours with the GitHub-style preset: octokit's pair. */
  'ours-github': {
    scheme: 'github',
    mount(app, onEvent) {
      const webhooks = traxWebhooks({
        secret: PLAIN_SECRET,
        scheme: githubStyleScheme,
        path: PATH,
      });
      webhooks.onStreamLive(onEvent);
      app.use(webhooks);
    },
  },
  /** @octokit/webhooks' documented Node middleware, same GitHub-style signature. No dedupe. */
  octokit: {
    scheme: 'github',
    mount(app, onEvent) {
      const webhooks = new Webhooks({ secret: PLAIN_SECRET });
      webhooks.onAny(({ payload }) => onEvent(payload));
      // A silent log: the pre-run check's tampered delivery would print octokit's error object.
      const log = { debug() {}, info() {}, warn() {}, error() {} };
      app.use(createNodeMiddleware(webhooks, { path: PATH, log }));
    },
  },
  /** svix's documented recipe: `express.raw()` + `Webhook#verify` (hoisted out of the route). */
  svix: {
    scheme: 'standard',
    mount(app, onEvent) {
      verifyRecipe(app, new SvixWebhook(STANDARD_SECRET), onEvent);
    },
  },
  /** standardwebhooks' recipe: the same shape with its own `Webhook`. */
  standardwebhooks: {
    scheme: 'standard',
    mount(app, onEvent) {
      verifyRecipe(app, new StandardWebhook(STANDARD_SECRET), onEvent);
    },
  },
  /** Stripe's documented recipe: `express.raw()` + `stripe.webhooks.constructEvent`. */
  stripe: {
    scheme: 'stripe',
    mount(app, onEvent) {
      const stripe = new Stripe('sk_test_bench_not_a_real_key');
      app.post(PATH, express.raw({ type: 'application/json' }), (req, res) => {
        let event;
        try {
          event = stripe.webhooks.constructEvent(
            req.body,
            req.headers['stripe-signature'],
            PLAIN_SECRET,
          );
        } catch {
          res.status(400).send('Webhook Error');
          return;
        }
        onEvent(event);
        res.json({ received: true });
      });
    },
  },
  /** The limit (bench/limit): hand-written, same guarantees as ours, two-phase lru-cache dedupe. */
  limit: {
    scheme: 'standard',
    mount(app, onEvent) {
      mountExpressLimit(app, { secret: STANDARD_SECRET, path: PATH, onEvent });
    },
  },
  /** The limit with the GitHub-style scheme: the floor of octokit's pair. */
  'limit-github': {
    scheme: 'github',
    mount(app, onEvent) {
      mountExpressLimit(app, { secret: PLAIN_SECRET, path: PATH, onEvent, scheme: 'github' });
    },
  },
};

/** Builds the Express app of one variant (etag and x-powered-by off for every one alike). */
export function createExpressApp(name, onEvent) {
  const variant = expressVariants[name];
  if (!variant) throw new TypeError(`unknown Express variant ${name}`);
  const app = express();
  app.set('etag', false);
  app.set('x-powered-by', false);
  variant.mount(app, onEvent);
  return app;
}
