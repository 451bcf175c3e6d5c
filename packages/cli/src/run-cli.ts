import { createRequire } from 'node:module';
import type { CliIo } from './cli-output.js';
import { forwardCommand, forwardHelp } from './commands/forward-command.js';
import { mockApiCommand, mockApiHelp } from './commands/mock-api-command.js';
import { queueCommand, queueHelp } from './commands/queue-command.js';
import { sendCommand, sendHelp } from './commands/send-command.js';
import { ExitCode } from './exit-code.js';
import { redactText } from './redact.js';
import { UsageError } from './usage-error.js';

export const mainHelp = `Usage: trax-webhooks <command> [options]

Commands:
  forward    poll TRaX stream-status and deliver signed webhooks to your endpoint
  send       send one signed test event to your endpoint
  mock-api   run a mock TRaX API for local development
  queue      the delivery queue of queue mode: counts, failed jobs, retry, replay

Run trax-webhooks <command> --help for a command's options.

Options:
  -h, --help      this help
  -v, --version   the version

Exit codes: 0 ok · 1 delivery failed · 2 usage error · 3 API refused the key ·
4 cannot listen · 70 internal error (a bug: please report it) · 130 interrupted`;

const commands: Record<
  string,
  { run: (args: string[], io: CliIo) => Promise<number>; help: string }
> = {
  forward: { run: forwardCommand, help: forwardHelp },
  send: { run: sendCommand, help: sendHelp },
  'mock-api': { run: mockApiCommand, help: mockApiHelp },
  queue: { run: queueCommand, help: queueHelp },
};

function version(): string {
  try {
    return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The unknown command, quoted, as typed — unless it looks like a key or a secret pasted in the
 * wrong place, which is never echoed.
 */
function quoteCommand(name: string): string {
  if (/^(whsec_|sk_)/.test(name) || name.length > 40) return '(not shown)';
  return `"${name}"`;
}

/**
 * Runs `trax-webhooks` with `argv` (without `node` and the script) and resolves with the exit
 * code. Usage errors print one line and a hint on stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? args[0] : undefined;
    io.stdout.write(`${(topic && commands[topic]?.help) || mainHelp}\n`);
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === '-v' || name === '--version') {
    io.stdout.write(`${version()}\n`);
    return ExitCode.OK;
  }
  const command = commands[name];
  try {
    if (!command)
      throw new UsageError(
        `Unknown command ${quoteCommand(name)}; use one of: ${Object.keys(commands).join(', ')}`,
      );
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        redactText(
          `trax-webhooks${command ? ` ${name}` : ''}: ${error.message}\nRun trax-webhooks ${command ? `${name} ` : ''}--help for usage.\n`,
        ),
      );
      return error.exitCode;
    }
    throw error;
  }
}
