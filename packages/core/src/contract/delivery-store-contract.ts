import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeliveryStore } from '../delivery-store.js';

/** The lease and TTL the suite asks a store for, in milliseconds. */
export interface StoreTimings {
  leaseMs: number;
  ttlMs: number;
}

/** How the suite gets stores. */
export interface DeliveryStoreContractOptions {
  /** Makes a store with the given lease and TTL (short: the suite waits them out in real time). */
  create(timings: StoreTimings): DeliveryStore | Promise<DeliveryStore>;
  /** Runs after the suite (close connections, delete keys). */
  cleanup?(): unknown;
  /** Skip the suite (e.g. no Redis answers), with the reason shown. */
  skip?: string | false;
}

const timings: StoreTimings = { leaseMs: 300, ttlMs: 600 };
const key = () => `contract-${randomUUID()}`;
const token = () => randomUUID();

/**
 * Registers the DeliveryStore contract tests for one store. Waits are real (stores may be
 * remote), so leases and TTLs are a few hundred milliseconds.
 */
export function describeDeliveryStoreContract(
  name: string,
  options: DeliveryStoreContractOptions,
): void {
  const suite = options.skip ? describe.skip : describe;
  suite(`${name} honours the DeliveryStore contract${options.skip ? ` (skipped: ${options.skip})` : ''}`, () => {
    if (options.cleanup) afterAll(() => options.cleanup?.());
    const store = () => options.create(timings);

    it('claims a new key', async () => {
      const s = await store();
      await expect(s.claim(key(), token())).resolves.toEqual({ status: 'claimed' });
    });

    it('answers in-flight, with a retry hint within the lease, while another token holds the key', async () => {
      const s = await store();
      const k = key();
      await s.claim(k, token());
      const second = await s.claim(k, token());
      expect(second.status).toBe('in-flight');
      if (second.status !== 'in-flight') return;
      expect(second.retryAfterMs).toBeGreaterThan(0);
      expect(second.retryAfterMs).toBeLessThanOrEqual(timings.leaseMs);
    });

    it('answers claimed again when the holder repeats its claim (a resent command)', async () => {
      const s = await store();
      const [k, t] = [key(), token()];
      await s.claim(k, t);
      await expect(s.claim(k, t)).resolves.toEqual({ status: 'claimed' });
    });

    it('lets exactly one of 50 concurrent claims win', async () => {
      const s = await store();
      const k = key();
      const results = await Promise.all(Array.from({ length: 50 }, () => s.claim(k, token())));
      expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'in-flight')).toHaveLength(49);
    });

    it('answers duplicate after complete, and complete is safe to repeat', async () => {
      const s = await store();
      const [k, t] = [key(), token()];
      await s.claim(k, t);
      await expect(s.complete(k, t)).resolves.toBe(true);
      await expect(s.complete(k, t)).resolves.toBe(true);
      await expect(s.claim(k, token())).resolves.toEqual({ status: 'duplicate' });
      await expect(s.claim(k, t)).resolves.toEqual({ status: 'duplicate' });
    });

    it('lets the next claim in after release, and release is safe to repeat', async () => {
      const s = await store();
      const [k, t] = [key(), token()];
      await s.claim(k, t);
      await expect(s.release(k, t)).resolves.toBe(true);
      await expect(s.release(k, t)).resolves.toBe(false);
      await expect(s.claim(k, token())).resolves.toEqual({ status: 'claimed' });
    });

    it('ignores complete and release from a token that does not hold the key', async () => {
      const s = await store();
      const [k, t] = [key(), token()];
      await s.claim(k, t);
      await expect(s.complete(k, token())).resolves.toBe(false);
      await expect(s.release(k, token())).resolves.toBe(false);
      expect((await s.claim(k, token())).status).toBe('in-flight');
      await expect(s.complete(k, t)).resolves.toBe(true);
    });

    it('ignores complete and release of a key never claimed', async () => {
      const s = await store();
      const k = key();
      await expect(s.complete(k, token())).resolves.toBe(false);
      await expect(s.release(k, token())).resolves.toBe(false);
      await expect(s.claim(k, token())).resolves.toEqual({ status: 'claimed' });
    });

    it('hands an expired lease to the next claimer, and the first claimer can no longer complete or release it', async () => {
      const s = await store();
      const [k, first, second] = [key(), token(), token()];
      await s.claim(k, first);
      await sleep(timings.leaseMs + 100);
      await expect(s.claim(k, second)).resolves.toEqual({ status: 'claimed' });
      await expect(s.release(k, first)).resolves.toBe(false);
      await expect(s.complete(k, first)).resolves.toBe(false);
      expect((await s.claim(k, token())).status).toBe('in-flight');
      await expect(s.complete(k, second)).resolves.toBe(true);
      await expect(s.claim(k, token())).resolves.toEqual({ status: 'duplicate' });
    });

    it('records a completion that comes after the lease ended when no one took the delivery over', async () => {
      // A handler slower than the lease still succeeded: without the record, the sender's
      // retry would run it again.
      const s = await store();
      const [k, t] = [key(), token()];
      await s.claim(k, t);
      await sleep(timings.leaseMs + 100);
      await expect(s.complete(k, t)).resolves.toBe(true);
      await expect(s.claim(k, token())).resolves.toEqual({ status: 'duplicate' });
    });

    it('forgets a completed key after its TTL, so it can be claimed again', async () => {
      const s = await store();
      const [k, t] = [key(), token()];
      await s.claim(k, t);
      await s.complete(k, t);
      await sleep(timings.ttlMs + 100);
      await expect(s.claim(k, token())).resolves.toEqual({ status: 'claimed' });
    });

    it('keeps keys apart', async () => {
      const s = await store();
      const [a, b] = [key(), key()];
      const t = token();
      await s.claim(a, t);
      await s.complete(a, t);
      await expect(s.claim(b, token())).resolves.toEqual({ status: 'claimed' });
    });
  });
}
