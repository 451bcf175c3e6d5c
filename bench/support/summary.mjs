// Writes the summary table at the top of BENCHMARKS.md from every bench's results file
// (bench/.results/*.json, their `goals`): `node support/summary.mjs`. `pnpm bench` runs it
// after the benches, so the table is always the latest run's, each row with its command, date
// and the machine's load average when it ran.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const START = '<!-- summary:start (written by bench/support/summary.mjs; do not edit by hand) -->';
const END = '<!-- summary:end -->';
const resultsDir = new URL('../.results/', import.meta.url).pathname;
const benchmarksFile = new URL('../../BENCHMARKS.md', import.meta.url);

/** The bench scripts in the order the table lists them (others follow, by name). */
const ORDER = ['http-express', 'http-fastify', 'verify-node', 'redis', 'poller'];

function loadResults() {
  return loadAllResults()
    .filter((r) => Array.isArray(r.goals) && r.goals.length > 0)
    .sort((a, b) => {
      const ia = ORDER.indexOf(a.name);
      const ib = ORDER.indexOf(b.name);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.name.localeCompare(b.name);
    });
}

function loadAllResults() {
  let files = [];
  try {
    files = readdirSync(resultsDir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((file) => ({
    name: file.replace(/\.json$/, ''),
    ...JSON.parse(readFileSync(join(resultsDir, file), 'utf8')),
  }));
}

/** The bench script that writes each results file (for the table's "run" column). */
const COMMANDS = {
  'http-express': 'bench:http:express',
  'http-fastify': 'bench:http:fastify',
  'verify-node': 'bench:verify',
  redis: 'bench:redis',
  poller: 'bench:poller',
};

/** The load average when a bench started, whichever way its results file names it. */
function loadOf(r) {
  return r.load?.before ?? r.load?.start ?? r.loadAtStart ?? '?';
}

/** The table's markdown, from the results files. */
export function summaryTable(results = loadResults()) {
  const rows = results.flatMap((r) =>
    r.goals.map(
      (g) =>
        `| ${g.comparison} | ${g.goal} | **${g.measured.toFixed(2)}×**${g.detail ? ` (${g.detail})` : ''} | ${g.met ? 'met' : '**not met**'} | \`${COMMANDS[r.name] ?? r.name}\`, ${r.date?.slice(0, 16).replace('T', ' ')} UTC, load ${loadOf(r)} |`,
    ),
  );
  return [
    '| comparison | goal | measured (median of per-round ratios) | met | run |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = readFileSync(benchmarksFile, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`BENCHMARKS.md has no ${START} … ${END} block`);
  const table = summaryTable();
  let written = `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`;
  // A section's own tables, where it marks them: <!-- results:<name>:start --> … :end -->.
  for (const result of loadAllResults()) {
    if (typeof result.markdown !== 'string') continue;
    const open = `<!-- results:${result.name}:start -->`;
    const close = `<!-- results:${result.name}:end -->`;
    const a = written.indexOf(open);
    const b = written.indexOf(close);
    if (a < 0 || b < a) continue;
    written = `${written.slice(0, a + open.length)}\n${result.markdown}\n${written.slice(b)}`;
  }
  writeFileSync(benchmarksFile, written);
  console.log(table);
}
