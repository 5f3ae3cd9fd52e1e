// 6. admin-api streaming: 50 MiB downloads through admin-api vs straight from the emulator (get the
// attachment for its temporary URL, then fetch the URL: what admin-api itself does through the
// client), and a 5 × 50 MiB upload through admin-api vs straight to the emulator. admin-api's
// RSS growth is measured while it streams (this replaces tools/bench/admin-api-upload-memory.mjs),
// and its upload folder must be empty after each upload. One emulator serves every round; each
// admin-api round starts a fresh admin-api, so its memory baseline is a process that has only
// warmed up.
import { readdirSync, rmSync } from 'node:fs';
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
import { startAdminApi, startEmulator } from '../lib/servers.mjs';
import { formatRatio } from '../lib/stats.mjs';
import { DOWNLOADS, UPLOADS, measureTransfers } from '../lib/transfer.mjs';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';

export default {
  name: 'admin-api',
  title: 'admin-api streaming: through admin-api vs straight to the emulator',
  async run({ work, rounds, files, fileMiB, filesDir, log }) {
    const fileBytes = fileMiB * 1024 * 1024;
    const paths = ensureFiles(filesDir, files, fileBytes);
    const [warmPath] = ensureFiles(filesDir, 1, 64 * 1024);
    const emulator = await startEmulator({ dataDir: join(work, 'blobs') });
    const token = await tenantToken(emulator.url);
    const { task_guid: taskGuid } = await seedTask(emulator.url, { summary: 'admin-api bench' });
    const [stored] = await upload(emulator.url, token, multipart([paths[0]], { resource_id: taskGuid }));
    const uploadDir = join(work, 'admin-uploads');
    let leftovers = 0;

    const checkItems = async (items) => {
      if (items.length !== files || items.some((item) => item.size !== fileBytes)) {
        throw new Error(`upload stored ${JSON.stringify(items)}`);
      }
      for (const item of items) await deleteAttachment(emulator.url, token, item.guid);
    };
    const expectFile = (bytes) => {
      if (bytes !== fileBytes) throw new Error(`downloaded ${bytes} bytes instead of ${fileBytes}`);
    };

    const throughAdminApi = async (round) => {
      const admin = await startAdminApi({
        feishuUrl: emulator.url,
        adminToken: ADMIN_TOKEN,
        cwd: join(work, `admin-cwd-${round}`),
        uploadDir,
      });
      const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const adminUpload = async (form) => {
        const response = await postMultipart(`${admin.url}/tasks/${taskGuid}/attachments`, form, headers);
        if (response.status !== 201)
          throw new Error(`admin-api upload → ${response.status}: ${response.text}`);
        return JSON.parse(response.text).items;
      };
      try {
        // Warm-up, as the old admin-api-upload-memory.mjs did: a small upload, and its download.
        const [warm] = await adminUpload(multipart([warmPath]));
        await get(`${admin.url}/attachments/${warm.guid}/content`, headers);
        const form = multipart(paths);
        const measured = await measureTransfers({
          pid: admin.pid,
          uploadBytes: files * fileBytes,
          downloadBytes: fileBytes,
          upload: async () => {
            const items = await adminUpload(form);
            leftovers = Math.max(leftovers, readdirSync(uploadDir).length);
            await checkItems(items);
          },
          download: async () =>
            expectFile(await get(`${admin.url}/attachments/${stored.guid}/content`, headers)),
        });
        return measured;
      } finally {
        await admin.stop();
        rmSync(join(work, `admin-cwd-${round}`), { recursive: true, force: true });
      }
    };

    const direct = async () => {
      const form = multipart(paths, { resource_id: taskGuid });
      return measureTransfers({
        pid: emulator.pid,
        uploadBytes: files * fileBytes,
        downloadBytes: fileBytes,
        upload: async () => checkItems(await upload(emulator.url, token, form)),
        download: async () =>
          expectFile(await download((await getAttachment(emulator.url, token, stored.guid)).url)),
      });
    };

    const values = await alternate({
      sides: [
        { name: 'through admin-api', run: throughAdminApi },
        { name: 'direct', run: direct },
      ],
      rounds,
      log,
      label: 'admin-api ',
      measure: (side, round) => side.run(round),
    });

    const ratios = [['through admin-api', 'direct']];
    // Only admin-api's own memory is in question here; the emulator's is measured in pair 3.
    const adminOnly = (perSide) => ({ 'through admin-api': perSide['through admin-api'] });
    const uploadLabel = `upload ${files} × ${fileMiB} MiB`;
    const downloadLabel = `download ${fileMiB} MiB`;
    const rows = [
      row(`${downloadLabel}: speed`, 'MB/s', pick(values, 'downloadMBps'), ratios),
      row(`${downloadLabel}: admin-api RSS growth`, 'MiB', adminOnly(pick(values, 'downloadGrowthMiB'))),
      row(`${uploadLabel}: speed`, 'MB/s', pick(values, 'uploadMBps'), ratios),
      row(`${uploadLabel}: admin-api RSS growth`, 'MiB', adminOnly(pick(values, 'uploadGrowthMiB'))),
    ];
    const adminMedian = (index) => rows[index].sides[0].median;
    const mib = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} MiB` : 'n/a');
    return {
      rows,
      targets: [
        target('admin-api download ≥ 0.7 × direct', rows[0].ratios[0].value, '>=', 0.7, formatRatio),
        target('admin-api upload RSS growth ≤ 64 MiB', adminMedian(3), '<=', 64, mib),
        target('admin-api download RSS growth ≤ 64 MiB', adminMedian(1), '<=', 64, mib),
        target('admin-api upload folder empty after each upload', leftovers, '<=', 0, (count) =>
          Number.isFinite(count) ? `${count} files left` : 'n/a',
        ),
      ],
      notes: [
        `Per round and side: ${UPLOADS} uploads, then ${DOWNLOADS} downloads (median speed of the later ` +
          'half, highest RSS of all; see pair 3). ' +
          'Direct download = get the attachment for its temporary URL, then fetch the URL; admin-api ' +
          'does the same through the client, reusing a URL while it has uses left. RSS growth is ' +
          "admin-api's peak (VmHWM, reset first) minus its RSS just before.",
      ],
    };
  },
};
