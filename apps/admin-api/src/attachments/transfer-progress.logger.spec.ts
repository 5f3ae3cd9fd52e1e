import type { TransferProgress } from '@feishu-attachments/api-client';
import { LONG_TRANSFER_BYTES, transferProgressLog } from './transfer-progress.logger.js';

/** The events the client sends for `total` bytes in chunks of `chunk`, ending at 100 %. */
function eventsFor(total: number, chunk: number): TransferProgress[] {
  const events: TransferProgress[] = [];
  for (let sent = chunk; sent < total; sent += chunk) {
    events.push({ percent: sent / total, transferredBytes: sent, totalBytes: total });
  }
  events.push({ percent: 1, transferredBytes: total, totalBytes: total });
  return events;
}

describe('transfer progress log lines', () => {
  it('logs a transfer of 8 MiB or more at debug level once per quarter, the last at 100 %', () => {
    expect(LONG_TRANSFER_BYTES).toBe(8_388_608);
    const debug = jest.fn();
    const listener = transferProgressLog('upload to task t1', { debug }, () => true)!;

    for (const event of eventsFor(50 * 1024 * 1024, 1024 * 1024)) listener(event);

    expect(debug.mock.calls.map(([line]) => line)).toEqual([
      'upload to task t1: 26 % (13631488 of 52428800 bytes)',
      'upload to task t1: 50 % (26214400 of 52428800 bytes)',
      'upload to task t1: 76 % (39845888 of 52428800 bytes)',
      'upload to task t1: 100 % (52428800 of 52428800 bytes)',
    ]);
  });

  it('logs nothing for a transfer under 8 MiB', () => {
    const debug = jest.fn();
    const listener = transferProgressLog('download of attachment a1', { debug }, () => true)!;

    for (const event of eventsFor(LONG_TRANSFER_BYTES - 1, 1024 * 1024)) listener(event);

    expect(debug).not.toHaveBeenCalled();
  });

  it('gives the client no listener at all when debug logging is off', () => {
    expect(transferProgressLog('upload to task t1', { debug: jest.fn() }, () => false)).toBeUndefined();
  });
});
