import { createTraxWebhooks } from '@trax-webhooks/core';
import { describe, expect, it } from 'vitest';
import { createDeliveryQueue } from '../src/index.js';
import { SECRET } from './harness.js';

// No Redis needed: every one of these throws before a connection is opened (lazyConnect).
const connection = { host: '127.0.0.1', port: 1, lazyConnect: true };

describe('options', () => {
  it('createDeliveryQueue refuses bad options with a TypeError naming them', () => {
    expect(() => createDeliveryQueue(undefined as never)).toThrow(/options must/);
    expect(() => createDeliveryQueue({} as never)).toThrow(/connection option/);
    expect(() => createDeliveryQueue({ connection, name: '' })).toThrow(/name option/);
    expect(() => createDeliveryQueue({ connection, addTimeoutMs: 0 })).toThrow(
      /addTimeoutMs option/,
    );
    expect(() => createDeliveryQueue({ connection, dedupeTtlMs: 1.5 })).toThrow(
      /dedupeTtlMs option/,
    );
    expect(() => createDeliveryQueue({ connection, attempts: 0 })).toThrow(/attempts option/);
  });

  it("core's queue option must be a DeliveryQueue, and does not combine with ack: 'immediate'", async () => {
    expect(() => createTraxWebhooks({ secret: SECRET, queue: {} as never })).toThrow(
      /queue option must be a DeliveryQueue/,
    );
    const queue = createDeliveryQueue({ connection });
    try {
      expect(() => createTraxWebhooks({ secret: SECRET, queue, ack: 'immediate' })).toThrow(
        /ack option "immediate" cannot be combined with the queue option/,
      );
      expect(() => createTraxWebhooks({ secret: SECRET, queue })).not.toThrow();
    } finally {
      await queue.close();
    }
  });
});
