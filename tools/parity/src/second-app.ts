import { json } from './answer-body.js';
import type { SuiteContext } from './task-surface.steps.js';

/** An app of the run besides its own (the read app, the fine app), with its secret. */
export interface SecondApp {
  appId: string;
  appSecret: string;
}

/**
 * The app's tenant token, from the same exchange a client makes; its secret and the token it
 * gets are kept out of the report. Undefined when the answer holds no token.
 */
export async function secondAppToken(ctx: SuiteContext, app: SecondApp): Promise<string | undefined> {
  ctx.secret(app.appSecret);
  const issued = await ctx.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
    json: { app_id: app.appId, app_secret: app.appSecret },
  });
  const token = json(issued)?.tenant_access_token;
  if (typeof token !== 'string') return undefined;
  ctx.secret(token);
  return token;
}
