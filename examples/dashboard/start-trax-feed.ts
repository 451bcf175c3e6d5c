import { formatDuration } from '@trax-webhooks/cli';
import type { EventSink } from '@trax-webhooks/core';
import { pollStreamStatus } from '@trax-webhooks/poller';
import type { Feed } from './feed.js';

export interface TraxFeedOptions {
  /** Where polled events go: the receiver. */
  sink: EventSink;
  /** The receiver TRaX (or `trax-webhooks forward`) delivers to. */
  receiverUrl: string;
  /** `TRAX_API_KEY`: when set, stream-status is polled beside the webhooks. */
  apiKey: string | undefined;
  baseUrl: string;
  studios: string[];
  intervalMs: number;
}

/**
 * `--feed trax`: real TRaX. Signed webhooks arrive at the receiver; with an API key the real
 * stream-status is polled beside them as a safety net. The receiver then deduplicates on the
 * event's content (`contentEventKey`), so a transition both polled and pushed shows once and
 * its second copy counts as a duplicate.
 */
export function startTraxFeed(options: TraxFeedOptions): Feed {
  const notes = [
    `receiver: ${options.receiverUrl} (register it with TRaX, or point \`trax-webhooks forward --to\` at it)`,
  ];
  if (options.apiKey === undefined) {
    notes.push('TRAX_API_KEY is not set: showing webhooks only, nothing is polled.');
    return { notes, stop: async () => {} };
  }
  const poller = pollStreamStatus(options.sink, {
    apiKey: options.apiKey,
    studios: options.studios,
    baseUrl: options.baseUrl,
    intervalMs: options.intervalMs,
  });
  notes.push(
    `polling ${options.baseUrl} every ${formatDuration(options.intervalMs)} beside the webhooks`,
  );
  return { notes, stop: () => poller.stop() };
}
