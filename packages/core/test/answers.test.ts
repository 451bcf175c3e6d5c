import { readFileSync } from 'node:fs';
import {
  answerOf,
  answerOfError,
  errorAnswers,
  type HandleOutcome,
  successAnswers,
  TraxWebhookError,
  TraxWebhookErrorCode,
} from '@trax-webhooks/core';
import { describe, expect, it } from 'vitest';

const JSON_TYPE = 'application/json; charset=utf-8';

// The specification, written out by hand: a change to the answers must change this too.
const expectedErrors: Record<string, { status: number; headers?: Record<string, string> }> = {
  MISSING_HEADER: { status: 400 },
  MALFORMED_HEADER: { status: 400 },
  INVALID_JSON: { status: 400 },
  INVALID_ENVELOPE: { status: 400 },
  INVALID_SIGNATURE: { status: 401 },
  TIMESTAMP_TOO_OLD: { status: 401 },
  TIMESTAMP_TOO_NEW: { status: 401 },
  METHOD_NOT_ALLOWED: { status: 405, headers: { allow: 'POST' } },
  BODY_TIMEOUT: { status: 408 },
  DELIVERY_IN_FLIGHT: { status: 409, headers: { 'retry-after': '3' } },
  BODY_TOO_LARGE: { status: 413 },
  RAW_BODY_UNAVAILABLE: { status: 500 },
  HANDLER_FAILED: { status: 500 },
  HANDLER_FAILED_PERMANENTLY: { status: 200 },
  STORE_UNAVAILABLE: { status: 503, headers: { 'retry-after': '3' } },
};
const pollCodes = ['POLL_FAILED', 'POLL_UNAUTHORIZED', 'POLL_RATE_LIMITED', 'POLL_NOT_FOUND'];

describe('every error code has one answer', () => {
  it('lists every code either as answered or as a poll code, nothing else', () => {
    expect(Object.keys(TraxWebhookErrorCode).sort()).toEqual(
      [...Object.keys(expectedErrors), ...pollCodes].sort(),
    );
    expect(Object.keys(errorAnswers).sort()).toEqual(Object.keys(expectedErrors).sort());
  });

  for (const [code, expected] of Object.entries(expectedErrors)) {
    it(`${code} → ${expected.status}${expected.headers ? ` + ${Object.keys(expected.headers).join(', ')}` : ''}`, () => {
      const error = new TraxWebhookError(code as TraxWebhookErrorCode, `Message of ${code}.`, {
        retryAfterMs: 2500,
      });
      expect(error.status).toBe(expected.status);
      const answer = answerOfError(error);
      expect(answer).toEqual({
        status: expected.status,
        headers: { 'content-type': JSON_TYPE, ...expected.headers },
        body: JSON.stringify({ ok: false, error: { code, message: `Message of ${code}.` } }),
      });
    });
  }

  for (const code of pollCodes) {
    it(`${code} has no status, and asking for its answer is a TypeError`, () => {
      const error = new TraxWebhookError(code as TraxWebhookErrorCode, 'Polling failed.');
      expect(error.status).toBeUndefined();
      expect(() => answerOfError(error)).toThrow(TypeError);
    });
  }

  it('answers STORE_UNAVAILABLE with its default Retry-After when the error carries no wait', () => {
    const answer = answerOfError(new TraxWebhookError('STORE_UNAVAILABLE', 'Down.'));
    expect(answer.headers['retry-after']).toBe('5');
  });
});

describe('every outcome has one answer', () => {
  const failure = new TraxWebhookError('HANDLER_FAILED', 'A handler failed.');
  const permanent = new TraxWebhookError('HANDLER_FAILED_PERMANENTLY', 'Gave up.');
  const down = new TraxWebhookError('STORE_UNAVAILABLE', 'Down.', { retryAfterMs: 7000 });
  const cases: Array<[HandleOutcome, Parameters<typeof answerOf>[0], number, object, object]> = [
    ['handled', { outcome: 'handled' }, 200, {}, { ok: true }],
    ['duplicate', { outcome: 'duplicate' }, 200, {}, { ok: true, duplicate: true }],
    [
      'failed-permanently',
      { outcome: 'failed-permanently', error: permanent },
      200,
      {},
      { ok: true, permanentFailure: true },
    ],
    ['accepted', { outcome: 'accepted' }, 202, {}, { ok: true, accepted: true }],
    ['queued', { outcome: 'queued' }, 202, {}, { ok: true, queued: true }],
    [
      'in-flight',
      { outcome: 'in-flight', retryAfterMs: 30_000 },
      409,
      { 'retry-after': '5' },
      {
        ok: false,
        error: {
          code: 'DELIVERY_IN_FLIGHT',
          message: 'The same delivery is being handled; retry later.',
        },
      },
    ],
    [
      'failed',
      { outcome: 'failed', error: failure },
      500,
      {},
      { ok: false, error: { code: 'HANDLER_FAILED', message: 'A handler failed.' } },
    ],
    [
      'store-unavailable',
      { outcome: 'store-unavailable', error: down },
      503,
      { 'retry-after': '7' },
      { ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'Down.' } },
    ],
  ];

  for (const [outcome, result, status, headers, json] of cases) {
    it(`${outcome} → ${status}`, () => {
      const answer = answerOf(result);
      expect(answer.status).toBe(status);
      expect(answer.headers).toEqual({ 'content-type': JSON_TYPE, ...headers });
      expect(JSON.parse(answer.body)).toEqual(json);
    });
  }

  it('hands out frozen success answers, so an adapter cannot change the next one', () => {
    const answer = answerOf({ outcome: 'handled' });
    expect(Object.isFrozen(answer)).toBe(true);
    expect(Object.isFrozen(answer.headers)).toBe(true);
  });

  it('agrees with the table it exports', () => {
    for (const [outcome, row] of Object.entries(successAnswers)) {
      const answer = answerOf({ outcome, error: failure } as Parameters<typeof answerOf>[0]);
      expect([answer.status, JSON.parse(answer.body)]).toEqual([row.status, row.body]);
    }
  });
});

describe("the README's status table", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const rows = readme
    .split('\n')
    .filter((line) => /^\| \d{3}\b/.test(line))
    .map((line) => ({ status: Number(line.slice(2, 5)), text: line }));

  it('lists exactly the statuses the receiver answers', () => {
    const answered = new Set([
      ...Object.values(errorAnswers).map((rule) => rule.status),
      ...Object.values(successAnswers).map((row) => row.status),
    ]);
    expect(rows.map((row) => row.status).sort()).toEqual([...answered].sort());
  });

  it('names the headers each status carries', () => {
    for (const rule of Object.values(errorAnswers)) {
      const row = rows.find((r) => r.status === rule.status)!;
      for (const header of Object.keys(rule.headers ?? {})) {
        expect(row.text.toLowerCase()).toContain(header);
      }
      if (rule.retryAfter) expect(row.text.toLowerCase()).toContain('retry-after');
    }
  });
});
