import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { liveEvent, SECRET } from './harness.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A child process of the chaos test, started with `env`, ready once it said so. */
export async function startChild(
  name: 'chaos-receiver.mjs' | 'chaos-worker.mjs',
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port?: number }> {
  const child = fork(fixture(name), {
    env: { ...process.env, SECRET, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const first = await new Promise<{ port?: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port?: number }));
    child.once('exit', (code) =>
      reject(new Error(`${name} exited with ${code} before it was ready`)),
    );
  });
  return { child, port: first.port };
}

/** Asks a child to stop and resolves what it reports; `{}` for one that is gone. */
export async function stopChild(child: ChildProcess): Promise<Record<string, unknown>> {
  if (child.exitCode !== null || child.signalCode !== null) return {};
  const report = new Promise<Record<string, unknown>>((resolve) => {
    child.once('message', (message) => resolve(message as Record<string, unknown>));
    child.once('exit', () => resolve({}));
  });
  child.send('stop');
  const stats = await report;
  child.kill('SIGKILL');
  return stats;
}

/** The lines a worker's runs file holds, by kind. */
export function readRuns(file: string): { start: string[]; effect: string[]; end: string[] } {
  const runs = { start: [] as string[], effect: [] as string[], end: [] as string[] };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return runs;
  }
  for (const line of text.split('\n')) {
    const [kind, id] = line.split(' ');
    if (id && (kind === 'start' || kind === 'effect' || kind === 'end')) runs[kind].push(id);
  }
  return runs;
}

/** Deliveries whose handler was running (started, not ended) in a runs file. */
export function inProgress(file: string): Set<string> {
  const { start, end } = readRuns(file);
  const open = new Map<string, number>();
  for (const id of start) open.set(id, (open.get(id) ?? 0) + 1);
  for (const id of end) open.set(id, (open.get(id) ?? 0) - 1);
  return new Set([...open].filter(([, n]) => n > 0).map(([id]) => id));
}

export interface SenderStats {
  answers: Record<string, number>;
  duplicates: number;
  unacknowledged: string[];
}

/**
 * A sender like TRaX's: every event signed once, `copyRate` of them sent as two concurrent
 * copies, every copy retried on any non-2xx or network error with backoff until it is
 * acknowledged. `onProgress` sees the count of events acknowledged so far.
 */
export async function sendAll(options: {
  url: string;
  events: number;
  copyRate: number;
  concurrency: number;
  deadlineMs: number;
  onProgress: (acknowledged: number) => void;
}): Promise<SenderStats & { ids: string[] }> {
  const answers: Record<string, number> = {};
  let duplicates = 0;
  let acknowledged = 0;
  const unacknowledged: string[] = [];
  const deadline = performance.now() + options.deadlineMs;
  const ids: string[] = [];

  async function sendCopy(headers: Record<string, string>, body: string, attempt0 = 1) {
    for (let attempt = attempt0; performance.now() < deadline; attempt++) {
      let status: number | 'network';
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: { ...headers, 'webhook-attempt': String(attempt) },
          body,
        });
        status = response.status;
        if ((await response.text()).includes('"duplicate":true')) duplicates++;
      } catch {
        status = 'network';
      }
      answers[status] = (answers[status] ?? 0) + 1;
      if (typeof status === 'number' && status >= 200 && status < 300) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1_000)));
    }
    return false;
  }

  let next = 0;
  async function lane() {
    while (next < options.events) {
      next++;
      const signed = signDelivery({ secret: SECRET, payload: liveEvent(`st_${next % 50}`) });
      ids.push(signed.id);
      const copies = Math.random() < options.copyRate ? 2 : 1;
      const results = await Promise.all(
        Array.from({ length: copies }, () => sendCopy(signed.headers, signed.body)),
      );
      if (results.every(Boolean)) options.onProgress(++acknowledged);
      else unacknowledged.push(signed.id);
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { answers, duplicates, unacknowledged, ids };
}
