import { Logger } from '@nestjs/common';
import type { ProgressListener } from '@feishu-attachments/api-client';

/** From this size on (8 MiB) a transfer takes long enough for progress lines to help an operator. */
export const LONG_TRANSFER_BYTES = 8 * 1024 * 1024;
/** One line per quarter of the transfer, the last at 100 %. */
const STEP_PERCENT = 25;

const logger = new Logger('Transfers');

/**
 * A progress listener for the client that logs long transfers at debug level, one line per
 * quarter. None at all when debug is off: counting a download's progress puts one more stream
 * stage between Feishu and the caller, which is not worth paying for lines nobody sees.
 */
export function transferProgressLog(
  what: string,
  log: Pick<Logger, 'debug'> = logger,
  debugEnabled: () => boolean = () => Logger.isLevelEnabled('debug'),
): ProgressListener | undefined {
  if (!debugEnabled()) return undefined;
  let nextStep = STEP_PERCENT;
  return ({ percent, transferredBytes, totalBytes }) => {
    if (totalBytes < LONG_TRANSFER_BYTES) return;
    const reached = Math.floor(percent * 100);
    if (reached < nextStep) return;
    log.debug(`${what}: ${reached} % (${transferredBytes} of ${totalBytes} bytes)`);
    nextStep = (Math.floor(reached / STEP_PERCENT) + 1) * STEP_PERCENT;
  };
}
