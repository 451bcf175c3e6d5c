import {
  combineObservers,
  createTraxWebhooks,
  type DeliveryObserver,
  type WebhookLogger,
} from '@trax-webhooks/core';
import { describe, expect, it } from 'vitest';
import { SECRET, signedRequest } from './helpers.js';

/** An observer that writes what it sees, under its name, to `log`. */
function recorder(name: string, log: string[], declines = false): DeliveryObserver<string> {
  return {
    received: () => (declines ? undefined : name),
    verified: (record, event) => void log.push(`${record} verified ${event.type}`),
    dispatch(record, run) {
      log.push(`${record} enters`);
      try {
        return run();
      } finally {
        log.push(`${record} leaves`);
      }
    },
    handlerSettled: (record) => void log.push(`${record} handler settled`),
    answered: (record, outcome, answer) => void log.push(`${record} ${outcome} ${answer?.status}`),
    carry: (record) => ({ [`x-${record}`]: '1' }),
  };
}

describe('combineObservers', () => {
  it('hands every hook to each observer, nesting dispatch with the first outermost', async () => {
    const log: string[] = [];
    const webhooks = createTraxWebhooks({
      secret: SECRET,
      observer: combineObservers(recorder('otel', log), recorder('dashboard', log)),
    });
    webhooks.onStreamLive(() => void log.push('handler'));
    expect((await webhooks.receive(signedRequest())).status).toBe(200);
    expect(log).toEqual([
      'otel verified stream.live',
      'dashboard verified stream.live',
      'otel enters',
      'dashboard enters',
      'handler',
      'otel handler settled',
      'dashboard handler settled',
      'dashboard leaves',
      'otel leaves',
      'otel handled 200',
      'dashboard handled 200',
    ]);
  });

  it('leaves out an observer that declined, and still serves the others', async () => {
    const log: string[] = [];
    const webhooks = createTraxWebhooks({
      secret: SECRET,
      observer: combineObservers(recorder('off', log, true), recorder('on', log)),
    });
    await webhooks.receive({ ...signedRequest(), rawBody: Buffer.from('forged') });
    expect(log).toEqual(['on rejected 401']);
  });

  it('runs every observer even when one throws, and the receiver still answers', async () => {
    const log: string[] = [];
    const logged: string[] = [];
    const at = (_fields: object, message: string) => void logged.push(message);
    const logger: WebhookLogger = { debug: at, info: at, warn: at, error: at };
    const throwing: DeliveryObserver<string> = {
      ...recorder('broken', log),
      answered() {
        throw new Error('exporter down');
      },
    };
    const webhooks = createTraxWebhooks({
      secret: SECRET,
      logger,
      observer: combineObservers(throwing, recorder('dashboard', log)),
    });
    expect((await webhooks.receive(signedRequest())).status).toBe(200);
    expect(log).toContain('dashboard handled 200');
    expect(logged).toContain("The observer's answered() hook threw; ignored");
  });

  it('merges what each carries into a queued job', () => {
    const combined = combineObservers(recorder('a', []), recorder('b', []));
    const records = combined.received('webhook', undefined)!;
    expect(combined.carry?.(records)).toEqual({ 'x-a': '1', 'x-b': '1' });
  });

  it('needs at least one observer', () => {
    expect(() => combineObservers()).toThrow(TypeError);
  });
});
