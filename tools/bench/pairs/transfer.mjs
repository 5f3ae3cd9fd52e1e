// 3. Upload and download: one 5 × 50 MiB upload and 50 MiB downloads through the emulator,
// against a plain loopback stream copy of the same bytes (bare node:http writing the request body
// to a file, and streaming a file back). MB/s, and how far the server's RSS rises above where it
// stood, from /proc. Each round starts fresh servers, so one round's garbage is not the next
// round's baseline; a small upload and download first load the code paths.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  deleteAttachment,
  download,
  getAttachment,
  seedTask,
  tenantToken,
  upload,
} from '../lib/emulator-api.mjs';
import { download as get, ensureFiles, multipart, postMultipart } from '../lib/files.mjs';
import { alternate, pick, row, target } from '../lib/rounds.mjs';
import { startBare, startEmulator } from '../lib/servers.mjs';
import { DOWNLOADS, UPLOADS, measureTransfers } from '../lib/transfer.mjs';

const expectBytes = (what, actual, expected) => {
  if (actual !== expected) throw new Error(`${what}: ${actual} bytes instead of ${expected}`);
};

const clear = (dir) => {
  for (const name of readdirSync(dir)) rmSync(join(dir, name));
};

/** The emulator side of one round: a fresh emulator, a warm-up, then the measured transfers. */
async function emulatorRound({ work, round, paths, warmPath, fileBytes }) {
  const dataDir = join(work, `emulator-${round}`);
  const emulator = await startEmulator({ dataDir });
  try {
    const token = await tenantToken(emulator.url);
    const { task_guid: taskGuid } = await seedTask(emulator.url, { summary: 'transfer bench' });
    const [warm] = await upload(emulator.url, token, multipart([warmPath], { resource_id: taskGuid }));
    await download((await getAttachment(emulator.url, token, warm.guid)).url);

    const form = multipart(paths, { resource_id: taskGuid });
    let items = [];
    const measured = await measureTransfers({
      pid: emulator.pid,
      uploadBytes: paths.length * fileBytes,
      downloadBytes: fileBytes,
      upload: async () => {
        for (const item of items) await deleteAttachment(emulator.url, token, item.guid);
        items = await upload(emulator.url, token, form);
        if (items.length !== paths.length || items.some((item) => item.size !== fileBytes)) {
          throw new Error(`upload stored ${JSON.stringify(items.map((item) => item.size))}`);
        }
      },
      // A URL serves three downloads; each download here gets its own, as a client would.
      download: async () => {
        const { url } = await getAttachment(emulator.url, token, items[0].guid);
        expectBytes('emulator download', await download(url), fileBytes);
      },
    });
    for (const item of items) await deleteAttachment(emulator.url, token, item.guid);
    return measured;
  } finally {
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The stream-copy side: the same multipart body into one file, the same file back out. */
async function bareRound({ work, round, paths, warmPath, fileBytes }) {
  const uploadDir = join(work, `bare-${round}`);
  mkdirSync(uploadDir, { recursive: true });
  const bare = await startBare({ work, uploadDir, downloadFile: paths[0] });
  const post = async (form) => JSON.parse((await postMultipart(`${bare.url}/upload`, form)).text).bytes;
  try {
    await post(multipart([warmPath]));
    const form = multipart(paths, { resource_id: 'bench' });
    return await measureTransfers({
      pid: bare.pid,
      uploadBytes: paths.length * fileBytes,
      downloadBytes: fileBytes,
      upload: async () => {
        clear(uploadDir);
        expectBytes('stream copy upload', await post(form), Number(form.headers['content-length']));
      },
      download: async () => expectBytes('stream copy download', await get(`${bare.url}/download`), fileBytes),
    });
  } finally {
    await bare.stop();
    rmSync(uploadDir, { recursive: true, force: true });
  }
}

export default {
  name: 'transfer',
  title: 'Upload and download: emulator vs a plain loopback stream copy',
  async run({ work, rounds, files, fileMiB, filesDir, log }) {
    const fileBytes = fileMiB * 1024 * 1024;
    const paths = ensureFiles(filesDir, files, fileBytes);
    const [warmPath] = ensureFiles(filesDir, 1, 64 * 1024);
    const sides = [
      { name: 'emulator', round: emulatorRound },
      { name: 'stream copy', round: bareRound },
    ];
    const values = await alternate({
      sides,
      rounds,
      log,
      label: 'transfer ',
      measure: (side, round) => side.round({ work, round, paths, warmPath, fileBytes }),
    });
    const ratios = [['emulator', 'stream copy']];
    const uploadLabel = `upload ${files} × ${fileMiB} MiB`;
    const downloadLabel = `download ${fileMiB} MiB`;
    const rows = [
      row(`${uploadLabel}: speed`, 'MB/s', pick(values, 'uploadMBps'), ratios),
      row(`${uploadLabel}: server RSS growth`, 'MiB', pick(values, 'uploadGrowthMiB')),
      row(`${downloadLabel}: speed`, 'MB/s', pick(values, 'downloadMBps'), ratios),
      row(`${downloadLabel}: server RSS growth`, 'MiB', pick(values, 'downloadGrowthMiB')),
    ];
    const emulatorMedian = (index) => rows[index].sides[0].median;
    const mb = (value) => (Number.isFinite(value) ? `${Math.round(value)} MB/s` : 'n/a');
    const mib = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} MiB` : 'n/a');
    return {
      rows,
      targets: [
        target('Upload ≥ 300 MB/s on loopback', emulatorMedian(0), '>=', 300, mb),
        target('Upload RSS growth ≤ 64 MiB', emulatorMedian(1), '<=', 64, mib),
        target('Download ≥ 500 MB/s on loopback', emulatorMedian(2), '>=', 500, mb),
        target('Download RSS growth ≤ 64 MiB', emulatorMedian(3), '<=', 64, mib),
      ],
      notes: [
        `MB = 10^6 bytes. Per round and side: a fresh server, ${UPLOADS} uploads, then ${DOWNLOADS} downloads; ` +
          'speed is the median of the later half of each (lib/transfer.mjs says why), RSS growth the ' +
          "highest any of them reached: the server process's peak (VmHWM, reset first) minus its RSS " +
          'before the first. The client is node:http in the bench process, streaming files from disk ' +
          '(lib/files.mjs). The stream copy reads the file in 1 MiB chunks.',
      ],
    };
  },
};
