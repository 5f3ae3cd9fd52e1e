import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe("the inspector page's control-plane types", () => {
  it('are generated from the current OpenAPI document (node ui/generate-types.mjs)', async () => {
    const script = join(__dirname, '..', 'ui', 'generate-types.mjs');
    await expect(run(process.execPath, [script, '--check'])).resolves.toEqual(expect.anything());
  });
});
