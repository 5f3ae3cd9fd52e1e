import { UNKNOWN_GUID, json, type Hostile } from './hostile-requests.js';

/** Bad input to every control-plane route that reads some: bodies, queries and path ids. */

// --- bad control-plane bodies, on every control route that reads one -----------------------
export const controlBodies: Record<string, string[]> = {
  'POST /__mock/reset': ['{"keepTokens": "yes"}', '[]', '{"extra": 1}'],
  'POST /__mock/clock': ['{}', '{"advanceMs": -1}', '{"advanceMs": 1, "setMs": 1}', '{"setMs": "now"}', '{'],
  'POST /__mock/apps': [
    '{}',
    '{"app_id": ""}',
    '{"app_id": "a", "app_secret": "s", "scopes": "all"}',
    'null',
  ],
  'POST /__mock/users': ['{}', '{"name": 1}', '{"name": "a", "replace": "yes"}', '{"name": "a", "extra": 1}'],
  'POST /__mock/user-access-tokens': ['{}', '{"open_id": "ou_nobody"}', '{"open_id": ["a"]}'],
  'POST /__mock/authorization-codes': ['{}', '{"open_id": "ou_nobody"}', '{"open_id": 1}'],
  'POST /__mock/tasks': [
    '{}',
    '{"summary": "s", "attachments": [{"name": "a", "content": "!!", "encoding": "base64"}]}',
    '{"summary": "s", "attachments": [{"name": "a", "content": "a", "content_type": "text"}]}',
    '{"summary": "s", "attachments": [{"name": "a", "content": "a", "content_type": "a/b\\r\\nx: y"}]}',
    '{"summary": "s", "creator_open_id": "ou_nobody"}',
  ],
  'POST /__mock/faults': [
    '{}',
    '{"operation": "nope", "drop": true}',
    '{"operation": "task.get", "error": {"status": 200, "code": 0}}',
    '{"operation": "task.get", "error": {"status": 500, "code": 1, "headers": {"a b": "c"}}}',
    '{"operation": "task.get", "error": {"status": 500, "code": 1, "headers": {"a": "b\\nc"}}}',
    '{"operation": "task.get", "delayMs": 600000}',
    '{"operation": "task.get", "drop": true, "times": 100000}',
  ],
  'PUT /__mock/rate-limits': ['{}', '{"enabled": "no"}', '['],
  'POST /__mock/sandboxes': [
    '{"name": ""}',
    '{"app_id": "cli_alone"}',
    '{"app_id": "cli_mock_app", "app_secret": "taken"}',
    `{"name": "${'n'.repeat(300)}"}`,
    '{"extra": 1}',
    '[]',
  ],
};
export const controlQueries: Record<string, string[]> = {
  'GET /__mock/requests': ['limit=0', 'limit=abc', 'limit=10001', 'nope=1'],
  'GET /__mock/download-urls': [
    'page_size=0',
    'page_size=501',
    'page_token=forged',
    'order=sideways',
    'nope=1',
  ],
};
export const controlPaths: Record<string, string[]> = {
  'DELETE /__mock/faults/{id}': ['0', '-1', 'abc', '99999999999999999999', '1.5'],
  'GET /__mock/requests/{id}': ['0', 'abc', '%00', '99999'],
  'POST /__mock/attachments/{attachment_guid}/download-urls': ['not-a-guid', UNKNOWN_GUID, '..%2F..'],
  'DELETE /__mock/attachments/{attachment_guid}': ['not-a-guid', UNKNOWN_GUID, '%E0%A4%A'],
  'GET /__mock/sandboxes/{id}': ['sb0000000000', 'default%00', '..%2F..', 'x'.repeat(5000)],
  'DELETE /__mock/sandboxes/{id}': ['default', 'sb0000000000', '%E0%A4%A', 'x'.repeat(5000)],
};

export function controlCases(): Hostile[] {
  const cases: Hostile[] = [];
  for (const [route, bodies] of Object.entries(controlBodies)) {
    const [method, path] = route.split(' ');
    for (const body of bodies)
      cases.push({ name: `${route} ${body}`, method, path, auth: null, ...json(body) });
    // A reset without a JSON body is a valid reset, which would wipe the tokens the other rows use.
    if (route === 'POST /__mock/reset') continue;
    cases.push({
      name: `${route} as text/plain`,
      method,
      path,
      auth: null,
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
  }
  for (const [route, queries] of Object.entries(controlQueries)) {
    const [method, path] = route.split(' ');
    for (const query of queries)
      cases.push({ name: `${route}?${query}`, method, path: `${path}?${query}`, auth: null });
  }
  for (const [route, ids] of Object.entries(controlPaths)) {
    const [method, template] = route.split(' ');
    for (const id of ids) {
      cases.push({ name: `${route} with ${id}`, method, path: template.replace(/\{\w+\}/, id), auth: null });
    }
  }
  cases.push({ name: 'an unknown control route', method: 'GET', path: '/__mock/nothing', auth: null });
  return cases;
}
