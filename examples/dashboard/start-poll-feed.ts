import type { EventSink } from '@trax-webhooks/core';
import { pollStreamStatus } from '@trax-webhooks/poller';
import { startMockTraxApi } from '@trax-webhooks/testing';
import { type Feed, MOCK_API_KEY, mockApiNotes } from './feed.js';

export interface PollFeedOptions {
  /** Where polled events go: the receiver. */
  sink: EventSink;
  studios: string[];
  intervalMs: number;
  mockPort: number;
}

/** `--feed poll`: the mock TRaX API, polled in this process. Handlers see `ctx.source === 'poll'`. */
export async function startPollFeed(options: PollFeedOptions): Promise<Feed> {
  const api = await startMockTraxApi({ apiKeys: [MOCK_API_KEY], port: options.mockPort });
  const poller = pollStreamStatus(options.sink, {
    apiKey: MOCK_API_KEY,
    studios: options.studios,
    baseUrl: api.url,
    intervalMs: options.intervalMs,
  });
  return {
    notes: mockApiNotes(api.url, options.studios[0]!),
    async stop() {
      await poller.stop();
      await api.close();
    },
  };
}
