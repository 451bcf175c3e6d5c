// The READMEs, read as a new user reads them (issue 14).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../lib/workspace.mjs';

/** Every README.md of the repository, outside node_modules. */
function readmes(dir = ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist')
      continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...readmes(path));
    else if (entry.name === 'README.md') found.push(path);
  }
  return found;
}

const files = readmes().map((path) => [relative(ROOT, path), readFileSync(path, 'utf8')] as const);

describe('every README', () => {
  it.each(files)('%s: every table row belongs to a table with a header', (_path, text) => {
    // A paragraph inside a table cuts it in two, and the rows after it do not render (the
    // poller README's error table lost three rows that way).
    const lines = text.split('\n');
    let inFence = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.startsWith('```')) inFence = !inFence;
      if (inFence || !line.startsWith('|')) continue;
      const previous = lines[i - 1] ?? '';
      const next = lines[i + 1] ?? '';
      const startsTable = !previous.startsWith('|');
      if (startsTable)
        expect([i + 1, next]).toEqual([i + 1, expect.stringMatching(/^\|[-:| ]+\|$/)]);
    }
  });

  it.each(files)('%s: installs with npm, not a mix of pnpm add and npm install', (_path, text) => {
    expect(text).not.toMatch(/pnpm add [^\n]*@trax-webhooks\//);
  });

  it.each(files.filter(([, text]) => /npm install [^\n]*@trax-webhooks\//.test(text)))(
    '%s: says the packages are not on npm yet, and how to install them today',
    (_path, text) => {
      expect(text).toMatch(/not (yet )?(published|on npm)/i);
      expect(text).toMatch(/#installing-today|## Installing today/);
    },
  );
});
