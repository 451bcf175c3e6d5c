import { startMockTraxApi } from '@trax-webhooks/testing';
import { type CliIo, CliOutput } from '../cli-output.js';
import { ExitCode } from '../exit-code.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { parseDuration } from '../parse-duration.js';
import { aborted, stopSignal } from '../stop-signal.js';
import { UsageError } from '../usage-error.js';

export const mockApiHelp = `Usage: trax-webhooks mock-api [options]

Runs a mock TRaX API for local development: GET /v1/studios/{id}/stream-status with bearer
auth, studios you script over HTTP, optional rate limiting. Runs until Ctrl-C or SIGTERM.

  curl -X POST http://127.0.0.1:4010/_mock/studios/st_1/live      # st_1 goes live
  curl -X POST http://127.0.0.1:4010/_mock/studios/st_1/offline   # and offline
  (also: DELETE /_mock/studios/{id}, POST|DELETE /_mock/faults, GET /_mock/requests)

Options:
  --port <n>            port to listen on; 0 picks a free one (default: 4010)
  --host <addr>         interface (default: 127.0.0.1)
  --api-key <key>       a key to accept; repeat for more (default: sk_test_123)
  --live <id>           a studio that starts live; repeat for more
  --rate-limit <n/dur>  e.g. 10/1s: at most n requests per window per key, then 429
  --quiet               do not log each request
  --json                JSON lines instead of text
  -h, --help            this help

Exit codes: 0 stopped cleanly · 2 usage error · 4 cannot listen (port in use) ·
70 internal error (a bug)`;

/** `trax-webhooks mock-api`. */
export async function mockApiCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      live: { type: 'string', multiple: true },
      'rate-limit': { type: 'string' },
      quiet: { type: 'boolean' },
    },
    0,
  );
  const out = new CliOutput(io, { json: values.json === true });
  if (values.help) {
    io.stdout.write(`${mockApiHelp}\n`);
    return ExitCode.OK;
  }
  const port = Number(values.port ?? '4010');
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535)
    throw new UsageError('--port must be a whole number from 0 to 65535');
  const customKeys = values['api-key'];
  if (customKeys?.some((key) => key.trim() === ''))
    throw new UsageError('--api-key must not be empty');
  let rateLimit: { limit: number; windowMs: number } | undefined;
  if (values['rate-limit'] !== undefined) {
    const [limit, window = '1s'] = values['rate-limit'].split('/');
    const parsedLimit = Number(limit);
    if (!Number.isSafeInteger(parsedLimit) || parsedLimit < 1)
      throw new UsageError('--rate-limit must look like 10/1s (requests/window)');
    rateLimit = { limit: parsedLimit, windowMs: parseDuration(window, '--rate-limit') };
  }

  const { c } = out;
  let api: Awaited<ReturnType<typeof startMockTraxApi>>;
  try {
    api = await startMockTraxApi({
      port,
      host: values.host ?? '127.0.0.1',
      apiKeys: customKeys ?? ['sk_test_123'],
      rateLimit,
      onRequest(request) {
        if (values.quiet) return;
        const status =
          request.status === null
            ? c.red('dropped')
            : request.status < 400
              ? c.green(String(request.status))
              : c.yellow(String(request.status));
        out.emit(
          'request',
          { ...request, at: request.at.toISOString() },
          `${c.dim(request.at.toISOString())} ${request.method} ${request.path} ${status}`,
        );
      },
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    out.warn(
      'error',
      { code: code ?? null },
      c.red(
        `Cannot listen on ${values.host ?? '127.0.0.1'}:${port}${code === 'EADDRINUSE' ? ': the port is in use (try --port 0)' : code ? `: ${code}` : ''}`,
      ),
    );
    return ExitCode.CANNOT_LISTEN;
  }
  for (const id of values.live ?? []) api.goLive(id);
  // Custom keys are the user's to know; only the built-in test key is shown.
  const keys = customKeys
    ? `${customKeys.length} API key${customKeys.length === 1 ? '' : 's'} you gave`
    : 'the test key sk_test_123';
  out.emit(
    'listening',
    { url: api.url, port: api.port, live: values.live ?? [] },
    `Mock TRaX API on ${c.bold(api.url)} accepting ${keys}. Ctrl-C stops.`,
  );
  out.say(
    c.dim(
      `  curl -X POST ${api.url}/_mock/studios/st_1/live   then poll ${api.url}/v1/studios/st_1/stream-status`,
    ),
  );

  const stop = stopSignal();
  try {
    await aborted(stop.signal);
  } finally {
    stop.dispose();
    await api.close();
    out.close();
  }
  out.emit('stopped', {}, c.dim('Mock TRaX API stopped.'));
  return ExitCode.OK;
}
