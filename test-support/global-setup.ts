// Vitest's global setup for the whole run: tests import source (test-support/source-aliases.ts),
// but the ones that start child processes — examples, the CLI's bin, fixtures — load `dist`.
// Build it once when it is missing or stale, quietly; a fresh clone's `pnpm test` just works, and
// a CI that built in its own step does not build again.
import { ensureBuilt } from '../scripts/ensure-built.mjs';

export default function setup(): void {
  ensureBuilt();
}
