import { signDelivery } from '@trax-webhooks/core';
import { createTestEvent } from '@trax-webhooks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, launchChromium, type TestBrowser } from './chromium.js';
import {
  flipStudio,
  type RunningDashboard,
  readCounts,
  readLog,
  readTile,
  SECRET,
  startDashboard,
  waitForTile,
} from './dashboard-page.js';

const INTERVAL_MS = 1_000;
const skip = chromiumSkipReason('dashboard webhook-path test');

describe.skipIf(skip)(
  `examples/dashboard in headless Chromium, fed by trax-webhooks forward (signed webhooks)${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let dashboard: RunningDashboard;
    let browser: TestBrowser;

    beforeAll(async () => {
      dashboard = await startDashboard([
        '--feed',
        'forward',
        '--studio',
        'st_1',
        '--interval',
        `${INTERVAL_MS}ms`,
      ]);
      // The forwarder is a child process of the example: wait until it polls.
      await dashboard.process.waitFor(/forwarder │ Forwarding 1 studio/);
      browser = await launchChromium();
      await browser.page.goto(dashboard.url);
      await browser.page.locator('#connection[data-state="live"]').waitFor({ timeout: 10_000 });
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
      await dashboard?.process.stop();
    }, 20_000);

    it('moves the same tile through signed webhooks, and the log says webhook', async () => {
      const { page } = browser;
      expect(await page.locator('#feed').textContent()).toBe(
        'mock TRaX API → trax-webhooks forward (every 1s) → signed webhooks',
      );
      const live = await flipStudio(dashboard.apiUrl, 'st_1', 'live');
      await waitForTile(page, 'st_1', 'live', 2 * INTERVAL_MS);
      expect(await readTile(page, 'st_1')).toMatchObject({
        status: 'live',
        since: live.liveStartedAt,
        encoder: live.encoderStreamId,
        source: 'webhook',
      });

      await flipStudio(dashboard.apiUrl, 'st_1', 'offline');
      await waitForTile(page, 'st_1', 'offline', 2 * INTERVAL_MS);
      expect(await readTile(page, 'st_1')).toMatchObject({ status: 'offline', source: 'webhook' });

      const log = await readLog(page);
      expect(log).toEqual([
        expect.objectContaining({
          type: 'stream.offline',
          studio: 'st_1',
          source: 'webhook',
          attempt: '1',
          outcome: 'delivered',
        }),
        expect.objectContaining({
          type: 'stream.live',
          studio: 'st_1',
          source: 'webhook',
          attempt: '1',
          outcome: 'delivered',
        }),
      ]);
      // The forwarder sends the poller's deterministic ids as webhook-id.
      for (const row of log) expect(row.delivery).toMatch(/^poll_[0-9a-f]{32}$/);
      expect(await readCounts(page)).toEqual({ delivered: 2, duplicates: 0, rejected: 0 });
      // The forwarder saw its deliveries answered 200.
      await expect.poll(() => dashboard.process.output()).toMatch(/forwarder │ .*✓ attempt 1: 200/);
    }, 15_000);

    it('drops a copy of a forwarded delivery as a duplicate, and says so in the log', async () => {
      const { page } = browser;
      const [, delivered] = await readLog(page);
      expect(delivered).toMatchObject({ type: 'stream.live', outcome: 'delivered' });
      // The forwarder's delivery again, as TRaX would resend one whose answer it missed.
      const copy = signDelivery({
        secret: SECRET,
        id: delivered!.delivery,
        attempt: 2,
        payload: createTestEvent('stream.live', { studioId: 'st_1' }),
      });
      const res = await fetch(new URL('/webhooks/trax', dashboard.url), {
        method: 'POST',
        headers: copy.headers,
        body: copy.body,
      });
      expect(await res.json()).toEqual({ ok: true, duplicate: true });
      await expect
        .poll(() => readCounts(page))
        .toEqual({ delivered: 2, duplicates: 1, rejected: 0 });
      expect((await readLog(page))[0]).toEqual({
        type: 'stream.live',
        studio: 'st_1',
        delivery: delivered!.delivery,
        source: 'webhook',
        attempt: '2',
        outcome: 'dropped: duplicate',
      });
      // The handlers did not run again: the tile still shows the studio offline.
      expect(await readTile(page, 'st_1')).toMatchObject({ status: 'offline' });
    });
  },
);
