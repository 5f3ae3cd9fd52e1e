#!/usr/bin/env node
// Builds the emulator's image from apps/mock-feishu/Containerfile with podman (or docker when there
// is no podman), from the workspace root; what `npm run container:build` runs, and what the
// container tests run when no image is named. Its last line is the image's name.
//
//   node tools/container/build-image.mjs [--tag <name>] [--base <image>] [--engine podman|docker]
//
// --tag defaults to $FEISHU_CONTAINER_IMAGE, else localhost/feishu-attachments/mock-feishu:dev; --base
// to $FEISHU_CONTAINER_BASE_IMAGE, else the Containerfile's own default (docker.io's node:24-bookworm-slim).
// With podman the build's npm install reads this machine's npm cache through an overlay mount (what
// it writes stays in the build), so it needs the registry only for what that cache lacks: CI, which
// reaches no container registry, passes a local --base (tools/container/make-base-image.sh) and
// fills the cache with its own `npm ci` first, and so builds without the network.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_IMAGE = 'localhost/feishu-attachments/mock-feishu:dev';

const { values } = parseArgs({
  options: { tag: { type: 'string' }, base: { type: 'string' }, engine: { type: 'string' } },
});
const tag = values.tag ?? (process.env.FEISHU_CONTAINER_IMAGE || DEFAULT_IMAGE);
const base = values.base ?? process.env.FEISHU_CONTAINER_BASE_IMAGE;
const works = (command, args) => spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;
const engine =
  values.engine ??
  (works('podman', ['--version']) ? 'podman' : works('docker', ['version']) ? 'docker' : undefined);
if (engine !== 'podman' && engine !== 'docker') {
  console.error('build-image: found neither podman nor docker (a running docker daemon); nothing built');
  process.exit(1);
}

const args = ['build', '--file', 'apps/mock-feishu/Containerfile', '--tag', tag];
if (base) args.push('--build-arg', `BASE_IMAGE=${base}`);
if (engine === 'podman') {
  // The Docker image format, which has a HEALTHCHECK field (OCI's has none).
  args.push('--format', 'docker');
  const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  if (cache) args.push('--volume', `${cache}:/root/.npm:O`);
}
args.push('.');

const imageId = () =>
  spawnSync(engine, ['image', 'inspect', '--format', '{{.Id}}', tag], { encoding: 'utf8' }).stdout?.trim() ??
  '';
const previous = imageId();
const started = Date.now();
console.error(`build-image: ${engine} ${args.join(' ')}`);
// The engine's output goes to stderr: stdout is the image's name alone.
const build = spawnSync(engine, args, { cwd: ROOT, stdio: ['ignore', 2, 2] });
if (build.status !== 0) {
  console.error(`build-image: ${engine} build failed (exit ${build.status ?? build.signal})`);
  process.exit(1);
}
// The image this tag named before would stay behind, nameless, at every rebuild.
if (previous && previous !== imageId()) spawnSync(engine, ['rmi', previous], { stdio: 'ignore' });
const size = Number(
  execFileSync(engine, ['image', 'inspect', '--format', '{{.Size}}', tag], { encoding: 'utf8' }).trim(),
);
console.error(
  `build-image: ${tag} built in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
    `${(size / 1e6).toFixed(0)} MB${base ? ` on ${base}` : ''}`,
);
console.log(tag);
