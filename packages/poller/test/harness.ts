import {
  type AnyTraxEvent,
  createTraxWebhooks,
  type DeliveryContext,
  type DeliveryStore,
  type StudioStateStore,
  type TraxWebhookError,
} from '@trax-webhooks/core';
import { type PollStreamStatusOptions, pollStreamStatus } from '@trax-webhooks/poller';
import { createFakeStreamStatusApi, type FakeStreamStatusApi } from './fake-stream-status-api.js';

export const API_KEY = 'sk_live_test_key';

export interface Seen {
  event: AnyTraxEvent;
  ctx: DeliveryContext;
}

/**
 * A real core receiver recording what its handlers see, fed by a poller over the fake API.
 * Deterministic: no jitter, first polls at t=0.
 */
export function startPolling(
  options: Partial<PollStreamStatusOptions> & {
    api?: FakeStreamStatusApi;
    store?: DeliveryStore;
    stateStore?: StudioStateStore;
  } = {},
) {
  const { api = createFakeStreamStatusApi(API_KEY), store, ...pollerOptions } = options;
  const webhooks = createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', store });
  const seen: Seen[] = [];
  const errors: TraxWebhookError[] = [];
  webhooks.onAny((event, ctx) => {
    seen.push({ event, ctx });
  });
  webhooks.onError((error) => {
    errors.push(error);
  });
  const poller = pollStreamStatus(webhooks, {
    apiKey: API_KEY,
    studios: ['st_1'],
    intervalMs: 1000,
    jitter: 0,
    random: () => 0,
    fetch: api.fetch,
    ...pollerOptions,
  });
  const types = () => seen.map((s) => s.event.type);
  return { api, webhooks, poller, seen, errors, types };
}
