import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// semver ships no types of its own; these are the two functions used here.
const semver = createRequire(__filename)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the Node floor', () => {
  const floorRange: string = JSON.parse(read('package.json')).engines.node;
  const floor = semver.minVersion(floorRange)!.version;

  it('is 20.19, as the README and every published package state', () => {
    expect(floor).toBe('20.19.0');
    expect(read('README.md')).toContain('Node 20.19 or later');
    for (const manifest of [
      'libs/api-client/package.json',
      'libs/multipart-intake/package.json',
      'apps/mock-feishu/package.json',
    ]) {
      expect(JSON.parse(read(manifest)).engines.node).toBe(floorRange);
    }
  });

  it('is enough for every package in the lockfile (so npm ci on Node 20 prints no EBADENGINE)', () => {
    const packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> = JSON.parse(
      read('package-lock.json'),
    ).packages;
    const tooNew = Object.entries(packages)
      .filter(([, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range !== undefined && !semver.satisfies(floor, range);
      })
      .map(([path, entry]) => `${path}@${entry.version} wants node ${JSON.stringify(entry.engines)}`);
    expect(tooNew).toEqual([]);
  });

  it("leaves Nest's FileTypeValidator working on Node 20 with the file-type the override installs", async () => {
    // Plain node, not Jest: Nest loads file-type with a native dynamic import, as it does in production.
    // A PNG that claims to be a JPEG: only magic-number detection (file-type) can refuse it.
    const program = `
      const { FileTypeValidator } = require('@nestjs/common');
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const check = (fileType, mimetype) =>
        new FileTypeValidator({ fileType }).isValid({ buffer: png, mimetype, size: png.length });
      Promise.all([check('image/png', 'image/png'), check('image/jpeg', 'image/jpeg')]).then(([png, disguised]) =>
        console.log(JSON.stringify({ png, disguised, fileType: JSON.parse(require('fs').readFileSync('node_modules/file-type/package.json', 'utf8')).version })));`;
    const { stdout } = await run(process.execPath, ['-e', program], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual({ png: true, disguised: false, fileType: '21.3.4' });
  });
});
