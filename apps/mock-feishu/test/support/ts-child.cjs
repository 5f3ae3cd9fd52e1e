// Lets a child process run the emulator from its TypeScript sources, as Jest does, so the crash
// tests kill a real process without needing a build first:
//   node --conditions=@feishu-attachments/source -r ./ts-child.cjs apps/mock-feishu/src/main.ts …
// The same @swc/core transform as jest.preset.js; `./x.js` imports resolve to `./x.ts`.
const Module = require('node:module');
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request.startsWith('.') && request.endsWith('.js') && parent?.filename?.endsWith('.ts')) {
    try {
      return resolve.call(this, request.slice(0, -3) + '.ts', parent, ...rest);
    } catch {
      // a real .js file
    }
  }
  return resolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
