import { formatDuration, parseDuration, parseSchedule, UsageError } from '@trax-webhooks/cli';
import { describe, expect, it } from 'vitest';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['15s', 15_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['250', 250],
    [' 10s ', 10_000],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text, '--interval')).toBe(ms);
  });

  it.each(['', '15 seconds', '1d', 's', '1e3'])(
    'rejects %j with a usage error naming the flag',
    (text) => {
      expect(() => parseDuration(text, '--interval')).toThrow(UsageError);
      expect(() => parseDuration(text, '--interval')).toThrow(/^--interval must be a duration/);
    },
  );

  it('says a negative duration is negative (it used to say the flag "needs a value")', () => {
    expect(() => parseDuration('-5s', '--timeout')).toThrow(UsageError);
    expect(() => parseDuration('-5s', '--timeout')).toThrow(/^--timeout must not be negative/);
  });

  it('reads a schedule as a list of durations', () => {
    expect(parseSchedule('0,1s,5s', '--schedule')).toEqual([0, 1_000, 5_000]);
    expect(() => parseSchedule(',', '--schedule')).toThrow(/at least one delay/);
  });

  it('formats durations for people', () => {
    expect([850, 5_000, 150_000, 3_900_000].map(formatDuration)).toEqual([
      '850ms',
      '5s',
      '2m 30s',
      '1h 5m',
    ]);
  });
});
