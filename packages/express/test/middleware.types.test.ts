import type { StreamLiveData } from '@trax-webhooks/core';
import { traxWebhooks } from '@trax-webhooks/express';
import express5 from 'express';
import express4 from 'express4';
import { describe, expectTypeOf, it } from 'vitest';
import { SECRET } from './helpers.js';

// Compile-time checks (pnpm typecheck): the middleware fits both majors' own type definitions.
describe('the middleware type', () => {
  const webhooks = traxWebhooks(SECRET);

  it('mounts on Express 5 and Express 4 as they are typed', () => {
    express5().use(webhooks);
    express5().use('/hooks', webhooks);
    express5().post('/webhooks/trax', webhooks);
    express4().use(webhooks);
    express4().use('/hooks', webhooks);
    express4().post('/webhooks/trax', webhooks);
    express5.Router().use(webhooks);
    express4.Router().use(webhooks);
  });

  it('types handlers from the event name', () => {
    webhooks.onStreamLive((event, ctx) => {
      expectTypeOf(event.data).toEqualTypeOf<StreamLiveData>();
      expectTypeOf(ctx.source).toEqualTypeOf<'webhook' | 'poll'>();
    });
    webhooks.on('stream.offline', (event) =>
      expectTypeOf(event.data.endedAt).toEqualTypeOf<string>(),
    );
  });
});
