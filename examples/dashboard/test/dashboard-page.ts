// What the dashboard tests share: starting the example as a real process, driving the mock TRaX
// API over its control routes, and reading the page the way a person sees it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type ExampleProcess, startExampleProcess } from '../../../test-support/example-process.js';
import type { DashboardSnapshot } from '../dashboard-state.js';

export const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the tests save screenshots: git-ignored (`examples/dashboard/.gitignore`). */
export const outputDir = join(exampleDir, 'test-output');
/** The receiver's secret in the tests, so they can sign deliveries of their own. */
export const SECRET = 'whsec_ZGFzaGJvYXJkIHRlc3Qgc2VjcmV0IGtleQ==';

export interface RunningDashboard {
  readonly process: ExampleProcess;
  /** The page, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** The mock TRaX API the feed reads. */
  readonly apiUrl: string;
}

/** `tsx server.ts …` as `pnpm dashboard` runs it, on free ports, with {@link SECRET}. */
export async function startDashboard(args: string[]): Promise<RunningDashboard> {
  const process = startExampleProcess(
    exampleDir,
    'server.ts',
    { TRAX_WEBHOOK_SECRET: SECRET, NO_COLOR: '1' },
    ['--port', '0', '--mock-port', '0', ...args],
  );
  const url = (await process.waitFor(/TRaX go-live dashboard: (\S+)/))[1]!;
  const apiUrl = (await process.waitFor(/mock TRaX API: (\S+)/))[1]!;
  return { process, url, apiUrl };
}

/** Flips a studio on the mock API, as the README's curl does; resolves with its status. */
export async function flipStudio(
  apiUrl: string,
  studioId: string,
  to: 'live' | 'offline',
): Promise<{ live: boolean; encoderStreamId: string | null; liveStartedAt: string | null }> {
  const res = await fetch(`${apiUrl}/_mock/studios/${studioId}/${to}`, { method: 'POST' });
  if (!res.ok) throw new Error(`the mock API answered ${res.status} to ${to} ${studioId}`);
  return (await res.json()) as Awaited<ReturnType<typeof flipStudio>>;
}

/** What the server holds (`GET /api/state`), whatever the page has heard. */
export async function readServerSnapshot(url: string): Promise<DashboardSnapshot> {
  const res = await fetch(new URL('/api/state', url));
  return (await res.json()) as DashboardSnapshot;
}

/** A tile as it reads: its status attribute and the text of each field (icons left out). */
export function readTile(page: Page, studioId: string) {
  return page.locator(`.tile[data-studio="${studioId}"]`).evaluate((tile) => {
    const text = (selector: string) => {
      const element = tile.querySelector(selector)!.cloneNode(true) as HTMLElement;
      for (const hidden of element.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
      return element.textContent!.trim();
    };
    return {
      status: tile.getAttribute('data-status'),
      statusText: text('.status-text'),
      sinceLabel: text('.since-label'),
      since: tile.querySelector('.since time')?.getAttribute('datetime') ?? null,
      encoder: text('.encoder'),
      source: text('.source'),
    };
  });
}

/** Waits until the tile shows `status`; rejects after `timeoutMs`. */
export async function waitForTile(
  page: Page,
  studioId: string,
  status: 'live' | 'offline' | 'unknown',
  timeoutMs: number,
): Promise<void> {
  await page
    .locator(`.tile[data-studio="${studioId}"][data-status="${status}"]`)
    .waitFor({ timeout: timeoutMs });
}

export interface LogRow {
  type: string;
  studio: string;
  delivery: string;
  source: string;
  attempt: string;
  outcome: string;
}

/** The event log's rows, newest first, as text (icons, which screen readers skip, left out). */
export function readLog(page: Page): Promise<LogRow[]> {
  return page.$$eval('#log tbody tr', (rows) =>
    rows.map((row) => {
      const text = (name: string) => {
        const cell = row.querySelector(`td.${name}`)!.cloneNode(true) as HTMLElement;
        for (const hidden of cell.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
        return cell.textContent!.trim();
      };
      return {
        type: text('type'),
        studio: text('studio'),
        delivery: text('delivery'),
        source: text('source'),
        attempt: text('attempt'),
        outcome: text('outcome-cell'),
      };
    }),
  );
}

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * What axe-core (the engine behind Lighthouse's and most CI accessibility checks) finds wrong
 * with the page as it is now, against WCAG 2.1 A and AA: `[]` when nothing.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: {
        run(
          options: object,
        ): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }>;
      };
    };
    const { violations } = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  });
}

/** The header's counts. */
export async function readCounts(page: Page) {
  const count = async (name: string) => Number(await page.locator(`#count-${name}`).textContent());
  return {
    delivered: await count('delivered'),
    duplicates: await count('duplicates'),
    rejected: await count('rejected'),
  };
}
