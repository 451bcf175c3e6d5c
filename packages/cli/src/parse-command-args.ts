import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The options every command takes: JSON-lines output and its help. */
const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

type CommandConfig<O extends OptionsConfig> = {
  args: string[];
  allowPositionals: true;
  strict: true;
  options: O & typeof COMMON_OPTIONS;
};

/**
 * Reads one command's arguments: its own `options` plus `--json` and `-h/--help`, strictly,
 * with at most `maxPositionals` positional arguments; any mistake is a {@link UsageError}.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCommandArgs(args, { to: { type: 'string' } }, 1);
 * ```
 */
export function parseCommandArgs<const O extends OptionsConfig>(
  args: string[],
  options: O,
  maxPositionals: number,
): ReturnType<typeof parseArgs<CommandConfig<O>>> {
  const config = {
    args: joinNegativeValues(args, options),
    allowPositionals: true,
    strict: true,
    options: { ...options, ...COMMON_OPTIONS },
  } as CommandConfig<O>;
  return withUsageErrors(() => parseArgs(config), maxPositionals);
}

/**
 * `--timeout -5` → `--timeout=-5`: parseArgs reads a value that starts with `-` as another
 * option and says the flag "needs a value"; joined, the flag's own check says what is wrong.
 */
function joinNegativeValues(args: string[], options: OptionsConfig): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/**
 * Runs a `node:util` parseArgs call (strict) and turns its errors into usage errors. The
 * messages name the flag but not a stray value: a value typed in the wrong place may be a
 * secret.
 *
 * @example
 * ```ts
 * const { values } = withUsageErrors(() => parseArgs({ args, options, strict: true }), 0);
 * ```
 */
function withUsageErrors<T extends { positionals: string[] }>(
  parse: () => T,
  maxPositionals: number,
): T {
  let parsed: T;
  try {
    parsed = parse();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UsageError('Unexpected argument');
    const flag = /'(-{1,2}[\w-]+)/.exec((error as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`Unknown option ${flag}`.trim());
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(`Option ${flag} needs a value`.replace('  ', ' '));
    throw new UsageError('Could not read the command line');
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      maxPositionals === 0
        ? 'Unexpected argument'
        : `Too many arguments (expected at most ${maxPositionals})`,
    );
  }
  return parsed;
}
