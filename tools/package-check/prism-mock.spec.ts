// The script belongs to the tools project, which has no test target of its own.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { DOCUMENT, prismArgs } from '../dev/prism-mock.mjs';

describe('npm run mock:prism', () => {
  it('serves on 4010 at 127.0.0.1 unless told otherwise', () => {
    expect(prismArgs([])).toEqual(['mock', '-h', '127.0.0.1', '-p', '4010', DOCUMENT]);
  });

  it('takes one port from -p or --port, and passes other flags on', () => {
    expect(prismArgs(['-p', '4734'])).toEqual(['mock', '-h', '127.0.0.1', '-p', '4734', DOCUMENT]);
    expect(prismArgs(['--port', '4735', '--dynamic'])).toEqual([
      'mock',
      '-h',
      '127.0.0.1',
      '-p',
      '4735',
      '--dynamic',
      DOCUMENT,
    ]);
  });
});
