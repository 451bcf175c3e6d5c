import { assertEnvelope, type TraxEvent, traxEventTypes } from '@trax-webhooks/core';
import { createTestEvent } from '@trax-webhooks/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('createTestEvent', () => {
  it.each(traxEventTypes)('builds a valid %s envelope', (type) => {
    const event = createTestEvent(type);
    expect(() => assertEnvelope(event)).not.toThrow();
    expect(event.type).toBe(type);
    expect(Date.parse(event.timestamp)).not.toBeNaN();
  });

  it('lets data override the defaults and keeps unknown fields', () => {
    const event = createTestEvent('stream.live', { studioId: 'st_9', extra: 1 });
    expect(event.data).toMatchObject({
      studioId: 'st_9',
      encoderStreamId: 'enc_test',
      mode: 'cloud',
      extra: 1,
    });
    expectTypeOf(event).toEqualTypeOf<TraxEvent<'stream.live'>>();
  });

  it('builds an event of a type not in the catalog', () => {
    expect(createTestEvent('studio.renamed', { name: 'x' })).toMatchObject({
      type: 'studio.renamed',
      data: { studioId: 'st_test', name: 'x' },
    });
  });
});
