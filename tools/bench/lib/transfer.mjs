// One round of a transfer pair on fresh server processes: uploads, then downloads. Speed is
// bytes over wall time; memory is how far the server's RSS rose above where it stood before the
// first transfer of the kind (peak minus before), so a server that buffered a file could not hide
// it in memory an earlier transfer had already grown. A fresh process's first large transfers run
// well below its later ones (the first 50 MiB downloads after a start take up to twice as long as
// the tenth), so each kind is repeated: the RSS peak covers every transfer, cold ones included,
// while the speed is the median of the later, warm half.
import { peakGrowthDuring } from './memory.mjs';
import { median, megabytesPerSecond, toMiB } from './stats.mjs';

export const UPLOADS = 2;
export const DOWNLOADS = 10;

async function repeat(times, action) {
  const seconds = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    await action();
    seconds.push((performance.now() - started) / 1000);
  }
  return seconds;
}

const warmMedian = (seconds, bytes) =>
  median(seconds.slice(Math.floor(seconds.length / 2)).map((each) => megabytesPerSecond(bytes, each)));

/**
 * `upload()` and `download()` do one transfer each and throw when the bytes are wrong (upload
 * also cleans up what it stored); `pid` is the process whose memory counts.
 */
export async function measureTransfers({ pid, upload, uploadBytes, download, downloadBytes }) {
  const up = await peakGrowthDuring(pid, () => repeat(UPLOADS, upload));
  const down = await peakGrowthDuring(pid, () => repeat(DOWNLOADS, download));
  return {
    uploadMBps: warmMedian(up.result, uploadBytes),
    uploadGrowthMiB: toMiB(up.growth),
    downloadMBps: warmMedian(down.result, downloadBytes),
    downloadGrowthMiB: toMiB(down.growth),
  };
}
