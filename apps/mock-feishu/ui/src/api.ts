import createClient from 'openapi-fetch';
import type { components, paths } from './generated/control-plane';

export type Schemas = components['schemas'];
export type InspectedState = Schemas['InspectedState'];
export type InspectedTask = InspectedState['tasks'][number];
export type InspectedAttachment = Schemas['InspectedAttachment'];
export type DownloadUrl = Schemas['DownloadUrl'];
export type JournalEntry = Schemas['JournalEntry'];
export type DetailedJournalEntry = Schemas['DetailedJournalEntry'];
export type JournalBody = Schemas['JournalBody'];
export type FaultRule = Schemas['FaultRule'];
export type FaultRequest = Schemas['FaultRequest'];
export type SeedTaskRequest = Schemas['SeedTaskRequest'];
export type ClockState = Schemas['ClockState'];

/**
 * The control plane, typed by its OpenAPI document. Same origin as the page, so the control
 * cookie (set when the page was opened with ?token=) goes along on its own.
 */
export const controlPlane = createClient<paths>({ baseUrl: window.location.origin });

/** The answer's data, or an Error carrying the control plane's own message. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await call;
  if (body !== undefined && response.ok) return body;
  const message =
    error && typeof error === 'object' && 'msg' in error ? String(error.msg) : `HTTP ${response.status}`;
  throw new Error(message);
}
