// A port to hand to a child process that binds it itself (Prism under the referee, the bench's
// servers). Binding port 0 and passing the number on is not enough: the OS hands ports from its
// port-0 range (Linux 32768 – 60999, macOS and Windows from 49152) to any process binding port 0,
// such as a test suite running beside, which can take the port before the child has bound it; a
// readiness probe is then answered by that process. So the port comes from below that range.
// Plain JavaScript, so the bench (plain node) and the referee (TypeScript under Jest) share it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST_PORT = 20_000;
const HIGHEST_DEFAULT_FLOOR = 32_768;

/** Where the OS starts its port-0 range; Linux says, elsewhere it starts higher than 32768. */
function portZeroFloor() {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Math.min(Number(low) || HIGHEST_DEFAULT_FLOOR, HIGHEST_DEFAULT_FLOOR);
  } catch {
    return HIGHEST_DEFAULT_FLOOR;
  }
}

// The range does not change while a process runs.
const ceiling = portZeroFloor();

function bindable(port, host) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on at `host` right now, and that no port-0 bind can be given meanwhile. */
export async function childPort(host = '127.0.0.1') {
  for (let attempt = 0; ceiling > LOWEST_PORT && attempt < 100; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (ceiling - LOWEST_PORT));
    if (await bindable(port, host)) return port;
  }
  throw new Error(`no free port between ${LOWEST_PORT} and ${ceiling} for a child process`);
}
