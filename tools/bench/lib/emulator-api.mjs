// The few emulator calls the pairs need to set up state, over HTTP like any client.
import { download as get, postMultipart } from './files.mjs';
import { EMULATOR_APP, jsonCall } from './servers.mjs';

export async function tenantToken(url) {
  const body = await jsonCall(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    json: { app_id: EMULATOR_APP.appId, app_secret: EMULATOR_APP.appSecret },
  });
  if (!body.tenant_access_token) throw new Error(`no tenant token: ${JSON.stringify(body)}`);
  return body.tenant_access_token;
}

/** A task (and small attachments) through the control plane: `{ task_guid, attachments: [{guid}] }`. */
export function seedTask(url, { summary = 'bench', attachments = [] } = {}) {
  return jsonCall(`${url}/__mock/tasks`, { method: 'POST', json: { summary, attachments } });
}

export const attachmentPath = (guid) => `/open-apis/task/v2/attachments/${guid}`;
export const listPath = (taskGuid, pageSize = 50, pageToken) =>
  `/open-apis/task/v2/attachments?resource_type=task&resource_id=${taskGuid}&page_size=${pageSize}` +
  (pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : '');

export async function getAttachment(url, token, guid) {
  const body = await jsonCall(`${url}${attachmentPath(guid)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return body.data.attachment;
}

/** Uploads a body built by `multipart` (with a `resource_id` field); returns the items. */
export async function upload(url, token, form) {
  const response = await postMultipart(`${url}/open-apis/task/v2/attachments/upload`, form, {
    authorization: `Bearer ${token}`,
  });
  const body = JSON.parse(response.text);
  if (body.code !== 0) throw new Error(`upload → ${response.status}: ${response.text}`);
  return body.data.items;
}

export async function deleteAttachment(url, token, guid) {
  await jsonCall(`${url}${attachmentPath(guid)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
}

/** Downloads through a temporary URL (no credentials: the code is one); returns the byte count. */
export const download = (downloadUrl) => get(downloadUrl);
