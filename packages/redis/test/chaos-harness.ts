import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { liveEvent, SECRET } from './delivery-helpers.js';

const RECEIVER = fileURLToPath(new URL('./fixtures/chaos-receiver.mjs', import.meta.url));

export interface ChaosOptions {
  redisUrl: string;
  prefix: string;
  events: number;
  /** Share of events sent as 2 or 3 concurrent copies to different processes. */
  copyRate: number;
  /** Share of handler runs that throw. */
  failRate: number;
  receivers: number;
  leaseMs: number;
  commandTimeoutMs: number;
  /** Every event must be acknowledged within this many ms of the start. */
  deadlineMs: number;
  /** Called each time an event has been acknowledged (by every copy), with the count so far. */
  onProgress?: (acknowledged: number) => void;
}

export interface ChaosResult {
  /** Delivery id → how many times its effect happened. */
  effects: Map<string, number>;
  ids: string[];
  /** HTTP status (or 'network') → how many answers. */
  answers: Record<string, number>;
  duplicates: number;
  /** Error codes each receiver reported through onError. */
  receiverErrors: Record<string, number>[];
  unacknowledged: string[];
}

interface Receiver {
  child: ChildProcess;
  url: string;
}

async function startReceiver(env: Record<string, string>): Promise<Receiver> {
  const child = fork(RECEIVER, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) =>
      reject(new Error(`receiver exited with ${code} before listening`)),
    );
  });
  return { child, url: `http://127.0.0.1:${port}/` };
}

async function stopReceiver({ child }: Receiver): Promise<Record<string, number>> {
  if (child.exitCode !== null) return {};
  const stats = new Promise<Record<string, number>>((resolve) => {
    child.once('message', (message) =>
      resolve((message as { errors: Record<string, number> }).errors),
    );
    child.once('exit', () => resolve({}));
  });
  child.send('stop');
  return stats;
}

function pickDistinct<T>(items: T[], count: number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0)
    picked.push(pool.splice(Math.floor(Math.random() * pool.length), 1)[0]!);
  return picked;
}

/**
 * Runs the receivers as child processes and a sender that behaves like TRaX's: it retries every
 * copy on any non-2xx (or network error) with a short backoff until it is acknowledged.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const dir = mkdtempSync(join(tmpdir(), 'trax-chaos-'));
  const runId = randomUUID().slice(0, 8);
  const receivers: Receiver[] = [];
  try {
    for (let i = 0; i < options.receivers; i++) {
      receivers.push(
        await startReceiver({
          REDIS_URL: options.redisUrl,
          PREFIX: options.prefix,
          EFFECTS_FILE: join(dir, `effects-${i}.log`),
          SECRET,
          FAIL_RATE: String(options.failRate),
          LEASE_MS: String(options.leaseMs),
          COMMAND_TIMEOUT_MS: String(options.commandTimeoutMs),
        }),
      );
    }
    const answers: Record<string, number> = {};
    let duplicates = 0;
    let acknowledged = 0;
    const unacknowledged: string[] = [];
    const deadline = performance.now() + options.deadlineMs;

    /** Sends one copy until it is acknowledged; false if the deadline passed first. */
    async function sendCopy(
      url: string,
      headers: Record<string, string>,
      body: string,
    ): Promise<boolean> {
      for (let attempt = 1; performance.now() < deadline; attempt++) {
        let status: number | 'network';
        try {
          const response = await fetch(url, { method: 'POST', headers, body });
          status = response.status;
          if ((await response.text()).includes('"duplicate":true')) duplicates++;
        } catch {
          status = 'network';
        }
        answers[status] = (answers[status] ?? 0) + 1;
        if (typeof status === 'number' && status >= 200 && status < 300) return true;
        await sleep(Math.min(10 * attempt, 200) * (0.5 + Math.random()));
      }
      return false;
    }

    const ids = Array.from({ length: options.events }, (_, i) => `msg_${runId}_${i}`);
    let next = 0;
    async function worker() {
      while (next < ids.length) {
        const id = ids[next++]!;
        // One signed delivery per event: every copy and retry carries the same id and bytes.
        const { headers, body } = signDelivery({
          secret: SECRET,
          id,
          payload: liveEvent(`st_${id}`),
        });
        const copies = Math.random() < options.copyRate ? 2 + Math.floor(Math.random() * 2) : 1;
        const targets = pickDistinct(receivers, copies);
        const done = await Promise.all(targets.map((r) => sendCopy(r.url, headers, body)));
        if (done.includes(false)) unacknowledged.push(id);
        acknowledged++;
        options.onProgress?.(acknowledged);
      }
    }
    await Promise.all(Array.from({ length: 48 }, worker));

    const receiverErrors = await Promise.all(receivers.map(stopReceiver));
    receivers.length = 0;
    const effects = new Map<string, number>();
    for (let i = 0; i < options.receivers; i++) {
      let text = '';
      try {
        text = readFileSync(join(dir, `effects-${i}.log`), 'utf8');
      } catch {}
      for (const line of text.split('\n'))
        if (line) effects.set(line, (effects.get(line) ?? 0) + 1);
    }
    return { effects, ids, answers, duplicates, receiverErrors, unacknowledged };
  } finally {
    for (const receiver of receivers) receiver.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Ids whose effect did not happen exactly once, for a readable failure. */
export function notExactlyOnce(result: ChaosResult): {
  lost: string[];
  repeated: string[];
  unknown: string[];
} {
  const expected = new Set(result.ids);
  return {
    lost: result.ids.filter((id) => !result.effects.has(id)),
    repeated: result.ids.filter((id) => (result.effects.get(id) ?? 0) > 1),
    unknown: [...result.effects.keys()].filter((id) => !expected.has(id)),
  };
}
