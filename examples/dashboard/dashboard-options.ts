import { parseArgs } from 'node:util';
import { parseDuration, UsageError } from '@trax-webhooks/cli';
import { DEFAULT_BASE_URL } from '@trax-webhooks/poller';

/**
 * Where the events come from:
 * - `poll`: the mock TRaX API, read by the poller in this process (no key, no network);
 * - `forward`: the mock TRaX API, read by `trax-webhooks forward` in a child process, which
 *   delivers signed webhooks to this dashboard's own receiver;
 * - `trax`: real TRaX — signed webhooks to `/webhooks/trax`, and with `TRAX_API_KEY` the real
 *   stream-status polled beside them (deduplicated on content, so each transition shows once).
 */
export type FeedKind = 'poll' | 'forward' | 'trax';

export interface DashboardOptions {
  readonly feed: FeedKind;
  readonly host: string;
  readonly port: number;
  readonly studios: string[];
  readonly intervalMs: number;
  /** The mock API's port (`poll` and `forward`). */
  readonly mockPort: number;
  /** The TRaX API polled by the `trax` feed. */
  readonly baseUrl: string;
  /** The receiver's secret: `TRAX_WEBHOOK_SECRET`, or for the mock feeds one made up per run. */
  readonly secret: string | undefined;
  /** `TRAX_API_KEY`: the `trax` feed polls real TRaX with it. */
  readonly apiKey: string | undefined;
}

export const dashboardHelp = `Usage: pnpm dashboard [-- options]

A live go-live dashboard: studio tiles and an event log, updated as the handlers fire.

Options:
  --feed <poll|forward|trax>  where events come from (default: poll)
                                poll     the mock TRaX API, polled in this process
                                forward  the mock TRaX API, polled by \`trax-webhooks forward\`,
                                         which delivers signed webhooks to this dashboard
                                trax     real TRaX: signed webhooks to /webhooks/trax
                                         (TRAX_WEBHOOK_SECRET), and stream-status polled
                                         with TRAX_API_KEY when it is set
  --studio <id>               a studio to show; repeat for more (default: st_1 st_2 st_3;
                              required with --feed trax)
  --interval <dur>            poll interval (default: 1s on the mock API, 15s on TRaX)
  --port <n>                  the dashboard's port (default: 3030; 0 picks a free one)
  --host <addr>               the interface to bind (default: 127.0.0.1)
  --mock-port <n>             the mock TRaX API's port (default: 4010; 0 picks a free one)
  --base-url <url>            the TRaX API for --feed trax (default: ${DEFAULT_BASE_URL})
  -h, --help                  this help

Environment: TRAX_WEBHOOK_SECRET (required with --feed trax), TRAX_API_KEY (--feed trax).`;

const FEEDS: readonly FeedKind[] = ['poll', 'forward', 'trax'];

/**
 * Reads the command line and the environment. Messages name the flag or the variable, never
 * its value.
 *
 * @returns the options, or `'help'` for `--help`
 * @throws {UsageError} naming the flag or variable that is wrong
 */
export function parseDashboardOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
): DashboardOptions | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const feed = (values.feed ?? 'poll') as FeedKind;
  if (!FEEDS.includes(feed)) throw new UsageError('--feed must be poll, forward or trax');
  const studios = (values.studio ?? (feed === 'trax' ? [] : ['st_1', 'st_2', 'st_3'])).map((id) =>
    id.trim(),
  );
  if (studios.length === 0) throw new UsageError('--feed trax needs at least one --studio <id>');
  if (studios.some((id) => id === '')) throw new UsageError('--studio must not be empty');
  const intervalMs = parseDuration(
    values.interval ?? (feed === 'trax' ? '15s' : '1s'),
    '--interval',
  );
  if (intervalMs < 100) throw new UsageError('--interval must be at least 100ms');
  const secret = env.TRAX_WEBHOOK_SECRET || undefined;
  if (feed === 'trax' && secret === undefined)
    throw new UsageError('--feed trax needs TRAX_WEBHOOK_SECRET (the secret TRaX signs with)');
  const baseUrl = values['base-url'] ?? DEFAULT_BASE_URL;
  if (!URL.canParse(baseUrl)) throw new UsageError('--base-url must be an http(s) URL');
  return {
    feed,
    host: values.host ?? '127.0.0.1',
    port: port(values.port ?? env.PORT ?? '3030', '--port'),
    studios: [...new Set(studios)],
    intervalMs,
    mockPort: port(values['mock-port'] ?? '4010', '--mock-port'),
    baseUrl,
    secret,
    apiKey: env.TRAX_API_KEY || undefined,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      feed: { type: 'string' },
      studio: { type: 'string', multiple: true },
      interval: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'mock-port': { type: 'string' },
      'base-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function port(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new UsageError(`${flag} must be a port number from 0 to 65535`);
  return value;
}
