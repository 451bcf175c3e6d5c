import {
  type AnyTraxEvent,
  createTraxWebhooks,
  type DeliveryContext,
  isEventOfType,
  type StreamLiveData,
  type StreamOfflineData,
  type TraxEvent,
} from '@trax-webhooks/core';
import { describe, expectTypeOf, it } from 'vitest';
import { SECRET } from './helpers.js';

describe('the handler event type is inferred from the name', () => {
  const webhooks = createTraxWebhooks({ secret: SECRET });

  it('types onX handlers from the method name', () => {
    webhooks.onStreamLive((event, ctx) => {
      expectTypeOf(event.type).toEqualTypeOf<'stream.live'>();
      expectTypeOf(event.data).toEqualTypeOf<StreamLiveData>();
      expectTypeOf(event.data.studioId).toEqualTypeOf<string>();
      expectTypeOf(event.data.liveStartedAt).toEqualTypeOf<string>();
      expectTypeOf(ctx).toEqualTypeOf<DeliveryContext>();
      expectTypeOf(ctx.source).toEqualTypeOf<'webhook' | 'poll'>();
    });
    webhooks.onStreamOffline((event) => {
      expectTypeOf(event.data).toEqualTypeOf<StreamOfflineData>();
      expectTypeOf(event.data.endedAt).toEqualTypeOf<string>();
    });
    webhooks.onSourceStatusChanged((event) =>
      expectTypeOf(event.data.sourceId).toEqualTypeOf<string>(),
    );
    webhooks.onDestinationStatusChanged((event) =>
      expectTypeOf(event.data.destinationId).toEqualTypeOf<string>(),
    );
    webhooks.onChatMessage((event) => expectTypeOf(event.data.text).toEqualTypeOf<string>());
  });

  it('types on(type) handlers from the type string', () => {
    webhooks.on('stream.offline', (event) =>
      expectTypeOf(event).toEqualTypeOf<TraxEvent<'stream.offline'>>(),
    );
    webhooks.on('chat.message', (event) =>
      expectTypeOf(event.data.author.name).toEqualTypeOf<string>(),
    );
  });

  it('makes a misspelt event name a type error, not a handler that never fires', () => {
    // @ts-expect-error 'stream.liv' is not an event type
    webhooks.on('stream.liv', () => {});
    // @ts-expect-error nor is a type nobody declared: take those with onAny
    webhooks.on('studio.deleted', () => {});
    // @ts-expect-error off() takes the same names
    webhooks.off('stream.liv', () => {});
  });

  it('lets unknown fields through as unknown', () => {
    webhooks.onStreamLive((event) =>
      expectTypeOf(event.data.someFutureField).toEqualTypeOf<unknown>(),
    );
  });

  it('types onAny with every event, narrowable by type', () => {
    webhooks.onAny((event) => {
      expectTypeOf(event).toEqualTypeOf<AnyTraxEvent>();
      if (isEventOfType(event, 'stream.live')) expectTypeOf(event.data.liveStartedAt).toBeString();
    });
  });

  it('rejects a handler for the wrong event', () => {
    // @ts-expect-error a stream.offline handler does not fit stream.live
    webhooks.onStreamLive((event: TraxEvent<'chat.message'>) => event.data.text);
  });
});
