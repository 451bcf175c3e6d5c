import {
  createTraxWebhooks,
  type StudioEventData,
  signDelivery,
  type TraxEvent,
} from '@trax-webhooks/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { SECRET } from './helpers.js';

// What a consumer writes when TRaX ships an event before this package types it.
declare module '@trax-webhooks/core' {
  interface TraxEventMap {
    'studio.renamed': StudioEventData & { name: string; previousName: string };
  }
}

describe('an event type added by augmenting TraxEventMap', () => {
  it('types on() handlers for the added name', () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    webhooks.on('studio.renamed', (event) => {
      expectTypeOf(event).toEqualTypeOf<TraxEvent<'studio.renamed'>>();
      expectTypeOf(event.data.name).toEqualTypeOf<string>();
      expectTypeOf(event.data.studioId).toEqualTypeOf<string>();
    });
  });

  it('is dispatched to its on() handlers at runtime', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const names: string[] = [];
    webhooks.on('studio.renamed', (event) => {
      names.push(event.data.name);
    });
    const signed = signDelivery({
      secret: SECRET,
      payload: {
        type: 'studio.renamed',
        timestamp: '2026-11-27T12:00:00.000Z',
        data: { studioId: 'st_1', name: 'Main stage', previousName: 'Studio 1' },
      },
    });
    const answer = await webhooks.receive({ headers: signed.headers, rawBody: signed.body });
    expect(answer.status).toBe(200);
    expect(names).toEqual(['Main stage']);
  });
});
