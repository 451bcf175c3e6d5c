// Publishing the pnpm-monorepo way (issue 14): every package says the same things about itself.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedPackages, ROOT } from '../lib/workspace.mjs';

/** The fields read here. */
interface Manifest {
  name: string;
  license: string;
  repository: { type: string; url: string; directory?: string };
  homepage: string;
  bugs: { url: string };
  engines: Record<string, string>;
  files: string[];
  bin: Record<string, string>;
}

const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const repo = root.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const packages = publishedPackages() as Array<{ dir: string; manifest: Manifest }>;
const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

describe('every published package', () => {
  it('is found by looking in packages/ (the pack script and the checks need no list)', () => {
    expect(packages.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining([
        '@trax-webhooks/core',
        '@trax-webhooks/sender',
        '@trax-webhooks/cli',
      ]),
    );
  });

  it.each(packages.map((p) => [p.manifest.name, p] as const))(
    '%s: MIT with its LICENSE, repository, homepage, bugs, the root engines, files',
    (_name, { dir, manifest }) => {
      const folder = dir.split(/[\\/]/).at(-1);
      expect(manifest.license).toBe('MIT');
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(license);
      expect(manifest.repository).toEqual({
        type: 'git',
        url: root.repository.url,
        directory: `packages/${folder}`,
      });
      expect(manifest.homepage).toBe(`${repo}/tree/main/packages/${folder}#readme`);
      expect(manifest.bugs).toEqual({ url: `${repo}/issues` });
      expect(manifest.engines).toEqual(root.engines);
      expect(manifest.files).toEqual(
        expect.arrayContaining(['dist', 'README.md', 'LICENSE', 'CHANGELOG.md']),
      );
    },
  );

  it('and every example and the bench need the same Node', () => {
    const privates = [
      ...readdirSync(join(ROOT, 'examples')).map((name) => join('examples', name)),
      'bench',
    ].filter((dir) => {
      try {
        return statSync(join(ROOT, dir, 'package.json')).isFile();
      } catch {
        return false;
      }
    });
    for (const dir of privates) {
      const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
      expect([dir, manifest.engines]).toEqual([dir, root.engines]);
    }
  });
});

describe('the trax-webhooks bin', () => {
  it('is a committed, executable file (pnpm links it at install, before any build)', () => {
    const cli = packages.find((p) => p.manifest.name === '@trax-webhooks/cli')!;
    const bin = join(cli.dir, cli.manifest.bin['trax-webhooks']);
    expect(bin).not.toMatch(/[\\/]dist[\\/]/);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    expect(readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});
