import { json } from './answer-body.js';
import { failedObservation } from './observation.js';
import type { SideDriver } from './side-driver.js';

export interface CleanupCall {
  what: string;
  status: number;
  code?: number;
  error?: string;
}

const ATTACHMENTS = '/open-apis/task/v2/attachments';
/** Task delete is limited to 10 calls a second (reference §1): a run that made more waits for the window. */
const RATE_LIMIT_RETRIES = 3;

/** Deletes what the run created: attachments first, then tasks, each with the token that made it. */
export async function cleanUp(
  side: SideDriver,
  created: { tasks: { guid: string; token: string }[]; attachments: Map<string, string> },
  secrets: Set<string>,
): Promise<CleanupCall[]> {
  const log: CleanupCall[] = [];
  if (created.tasks.length === 0 && created.attachments.size === 0) return log;
  // The run's tenant token may have expired (a moved emulator clock, a slow run): ask again.
  let fresh: string | undefined;
  try {
    const exchange = await side.http.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
      json: { app_id: side.appId, app_secret: side.appSecret },
    });
    fresh = json(exchange)?.tenant_access_token;
    if (fresh) secrets.add(fresh);
  } catch {
    // fall back to the tokens the run used
  }
  const tokenFor = (token: string) => (token.startsWith('t-') && fresh ? fresh : token);
  const attempt = async (what: string, path: string, token: string) => {
    try {
      let exchange = await side.http.call('DELETE', path, { token: tokenFor(token) });
      for (let retry = 0; exchange.status === 429 && retry < RATE_LIMIT_RETRIES; retry++) {
        // Feishu says how many whole seconds are left of the window; without it, one.
        const reset = Number(exchange.headers['x-ogw-ratelimit-reset']);
        await side.wait((Number.isInteger(reset) && reset >= 1 && reset <= 60 ? reset : 1) * 1000);
        exchange = await side.http.call('DELETE', path, { token: tokenFor(token) });
      }
      log.push({ what, status: exchange.status, code: json(exchange)?.code });
    } catch (error) {
      log.push({ what, status: 0, error: failedObservation(error).error });
    }
  };
  let n = 0;
  for (const [guid, token] of created.attachments)
    await attempt(`attachment ${++n}`, `${ATTACHMENTS}/${guid}`, token);
  n = 0;
  for (const task of created.tasks)
    await attempt(`task ${++n}`, `/open-apis/task/v2/tasks/${task.guid}`, task.token);
  return log;
}
