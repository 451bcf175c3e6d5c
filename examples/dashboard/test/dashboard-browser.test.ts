import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { signDelivery } from '@trax-webhooks/core';
import { createTestEvent } from '@trax-webhooks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, launchChromium, type TestBrowser } from './chromium.js';
import {
  accessibilityViolations,
  flipStudio,
  outputDir,
  type RunningDashboard,
  readCounts,
  readLog,
  readServerSnapshot,
  readTile,
  SECRET,
  startDashboard,
  waitForTile,
} from './dashboard-page.js';

const INTERVAL_MS = 1_000;
const skip = chromiumSkipReason('dashboard browser tests');

describe.skipIf(skip)(
  `examples/dashboard in headless Chromium, fed by the poller${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let dashboard: RunningDashboard;
    let browser: TestBrowser;

    beforeAll(async () => {
      dashboard = await startDashboard(['--interval', `${INTERVAL_MS}ms`]);
      browser = await launchChromium();
      await browser.page.goto(dashboard.url);
      await browser.page.locator('#connection[data-state="live"]').waitFor({ timeout: 10_000 });
    }, 30_000);

    afterAll(async () => {
      if (browser) {
        // The screenshot README.md shows (`pnpm --filter @trax-webhooks/example-dashboard screenshot`).
        await mkdir(outputDir, { recursive: true });
        // animations: 'disabled' ends the tile highlight, so the picture shows the settled page.
        await browser.page.screenshot({
          path: join(outputDir, 'dashboard.png'),
          fullPage: true,
          animations: 'disabled',
        });
        await browser.close();
      }
      await dashboard?.process.stop();
    }, 20_000);

    it('starts with a tile per studio, none live yet, and an empty log', async () => {
      const { page } = browser;
      expect(
        await page
          .locator('.tile')
          .evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-studio'))),
      ).toEqual(['st_1', 'st_2', 'st_3']);
      expect(await readTile(page, 'st_1')).toMatchObject({
        status: 'unknown',
        statusText: 'No event yet',
      });
      expect(await page.locator('#feed').textContent()).toBe('mock TRaX API → poller (every 1s)');
      expect(await readLog(page)).toEqual([]);
      expect(await readCounts(page)).toEqual({ delivered: 0, duplicates: 0, rejected: 0 });
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    it('shows a studio going live, then offline, each within two poll intervals, with source poll', async () => {
      const { page } = browser;
      const live = await flipStudio(dashboard.apiUrl, 'st_1', 'live');
      await waitForTile(page, 'st_1', 'live', 2 * INTERVAL_MS);
      expect(await readTile(page, 'st_1')).toEqual({
        status: 'live',
        statusText: 'Live',
        sinceLabel: 'Live since',
        since: live.liveStartedAt,
        encoder: live.encoderStreamId,
        source: 'poll',
      });

      await flipStudio(dashboard.apiUrl, 'st_1', 'offline');
      await waitForTile(page, 'st_1', 'offline', 2 * INTERVAL_MS);
      expect(await readTile(page, 'st_1')).toMatchObject({
        status: 'offline',
        statusText: 'Offline',
        sinceLabel: 'Offline since',
        // The session that ended: its encoder stays on the tile.
        encoder: live.encoderStreamId,
        source: 'poll',
      });

      const log = await readLog(page);
      expect(log).toHaveLength(2);
      expect(log[0]).toMatchObject({
        type: 'stream.offline',
        studio: 'st_1',
        source: 'poll',
        attempt: '1',
        outcome: 'delivered',
      });
      expect(log[1]).toMatchObject({
        type: 'stream.live',
        studio: 'st_1',
        source: 'poll',
        attempt: '1',
        outcome: 'delivered',
      });
      // The poller's deterministic delivery ids, one per transition.
      expect(log[0]!.delivery).toMatch(/^poll_[0-9a-f]{32}$/);
      expect(log[1]!.delivery).toMatch(/^poll_[0-9a-f]{32}$/);
      expect(log[0]!.delivery).not.toBe(log[1]!.delivery);
      expect(await readCounts(page)).toEqual({ delivered: 2, duplicates: 0, rejected: 0 });
    }, 15_000);

    it('counts a redelivered webhook as a dropped duplicate and a forged one as rejected', async () => {
      const { page } = browser;
      const receiver = new URL('/webhooks/trax', dashboard.url);
      const event = createTestEvent('stream.offline', { studioId: 'st_3' });
      const first = signDelivery({ secret: SECRET, payload: event, attempt: 1 });
      // The same delivery again, as a sender that missed the first answer retries it.
      const retry = signDelivery({ secret: SECRET, payload: event, id: first.id, attempt: 2 });
      const forged = signDelivery({
        secret: 'whsec_bm90IHRoZSBkYXNoYm9hcmQgc2VjcmV0',
        payload: event,
      });
      const answers = [];
      for (const delivery of [first, retry, forged]) {
        const res = await fetch(receiver, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        });
        answers.push([res.status, await res.json()]);
      }
      expect(answers.map(([status]) => status)).toEqual([200, 200, 401]);
      expect(answers[1]![1]).toEqual({ ok: true, duplicate: true });

      await expect
        .poll(() => readCounts(page))
        .toEqual({ delivered: 3, duplicates: 1, rejected: 1 });
      const log = await readLog(page);
      expect(log.slice(0, 3)).toEqual([
        {
          type: '—',
          studio: '—',
          delivery: '—',
          source: 'webhook',
          attempt: '—',
          outcome: 'rejected (INVALID_SIGNATURE)',
        },
        {
          type: 'stream.offline',
          studio: 'st_3',
          delivery: first.id,
          source: 'webhook',
          attempt: '2',
          outcome: 'dropped: duplicate',
        },
        {
          type: 'stream.offline',
          studio: 'st_3',
          delivery: first.id,
          source: 'webhook',
          attempt: '1',
          outcome: 'delivered',
        },
      ]);
      // The handlers ran once: the tile shows the first copy, and nothing of the forgery.
      expect(await readTile(page, 'st_3')).toMatchObject({
        status: 'offline',
        source: 'webhook',
        encoder: 'enc_test',
      });
    }, 15_000);

    it('recovers the current state from a snapshot after its event stream is cut', async () => {
      const { page } = browser;
      const connection = page.locator('#connection');
      expect(await connection.getAttribute('data-snapshots')).toBe('1');
      // Cut every page's stream and refuse new ones for 3 s: the page retries after 0.5 s and 1.5 s
      // (both refused), and is back after 3.5 s, long after the poller saw st_2 go live.
      const cut = await fetch(new URL('/_dashboard/drop-sse?refuseMs=3000', dashboard.url), {
        method: 'POST',
      });
      expect(await cut.json()).toEqual({ dropped: 1, refuseMs: 3000 });
      await page.locator('#connection[data-state="reconnecting"]').waitFor({ timeout: 2_000 });

      const live = await flipStudio(dashboard.apiUrl, 'st_2', 'live');
      await expect
        .poll(
          async () =>
            (await readServerSnapshot(dashboard.url)).studios.find((s) => s.studioId === 'st_2')
              ?.status,
          { timeout: 2 * INTERVAL_MS },
        )
        .toBe('live');
      // The server has it; the page, still refused, cannot have heard of it.
      expect(await connection.getAttribute('data-state')).not.toBe('live');
      expect(await readTile(page, 'st_2')).toMatchObject({ status: 'unknown' });

      await page.locator('#connection[data-state="live"]').waitFor({ timeout: 10_000 });
      expect(await connection.getAttribute('data-snapshots')).toBe('2');
      expect(await page.locator('.connection-text').textContent()).toBe(
        'Live updates (resynchronised)',
      );
      expect(await readTile(page, 'st_2')).toMatchObject({
        status: 'live',
        encoder: live.encoderStreamId,
        source: 'poll',
      });
      const log = await readLog(page);
      expect(log[0]).toMatchObject({
        type: 'stream.live',
        studio: 'st_2',
        source: 'poll',
        outcome: 'delivered',
      });
      // Nothing from before the cut was lost or doubled.
      expect(log).toHaveLength(6);
      expect(await readCounts(page)).toEqual({ delivered: 4, duplicates: 1, rejected: 1 });

      // And live updates flow again on the new stream.
      await flipStudio(dashboard.apiUrl, 'st_1', 'live');
      await waitForTile(page, 'st_1', 'live', 2 * INTERVAL_MS);
    }, 20_000);

    it("passes axe-core's WCAG 2.1 AA checks with live, offline, duplicate and rejected rows on show", async () => {
      const { page } = browser;
      expect(await page.locator('.tile[data-status="live"]').count()).toBeGreaterThan(0);
      expect(await page.locator('.tile[data-status="offline"]').count()).toBeGreaterThan(0);
      expect(await page.locator('#log tr[data-outcome="rejected"]').count()).toBe(1);
      expect(await page.locator('#log tr[data-outcome="duplicate"]').count()).toBe(1);
      // Colour is never the only signal: every tile says its status in words.
      for (const text of await page.locator('.status-text').allTextContents())
        expect(['Live', 'Offline', 'No event yet']).toContain(text);
      expect(await accessibilityViolations(page)).toEqual([]);
    }, 15_000);
  },
);
