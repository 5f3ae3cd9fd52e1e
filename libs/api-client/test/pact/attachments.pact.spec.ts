import { MatchersV3 } from '@pact-foundation/pact';
import type { Attachment } from '../../src/index.js';
import {
  DOWNLOAD_PATH,
  EXAMPLE,
  EXAMPLE_DOWNLOAD_URL,
  Path,
  UUID,
  attachmentPath,
  attachmentShape,
  bearerToken,
  clientOn,
  fetchByAttempt,
  getAttachmentInteraction,
  injected,
  jsonResponseHeaders,
  multipartBody,
  multipartParts,
  newPact,
  recordingFetch,
  success,
  taskGuidFromState,
  tenantTokenInteraction,
} from './support/feishu-contract.js';
import { settled } from '@feishu-attachments/test-support/pact-settled';

const { contentType, eachLike, equal, regex, string } = MatchersV3;

const FILES = [
  { name: 'notes.txt', content: 'Meeting notes\n', contentType: 'text/plain' },
  { name: 'agenda.txt', content: '1. Budget\n2. Hiring\n', contentType: 'text/plain' },
];
const BOUNDARY = '----pact-feishu-attachments';
const DOWNLOAD_CONTENT = 'Hello, Feishu!\n';

describe('attachments contract (consumer: api-client)', () => {
  it('uploads two files to a task in one multipart request and gets them back in order', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    const recorder = recordingFetch();
    await pact
      .addInteraction()
      .given('task T exists')
      .uponReceiving('a request to upload 2 files to task T')
      // Pact's generators do not reach multipart bodies: the provider's request filter puts the
      // state's ${taskGuid} into the resource_id part, as fromProviderState would elsewhere.
      .comment('resource_id is the provider state value ${taskGuid}')
      .withRequest('POST', Path.upload, (request) =>
        request
          .headers({
            authorization: bearerToken(),
            'content-type': regex(
              '^multipart/form-data; ?boundary=.+$',
              `multipart/form-data; boundary=${BOUNDARY}`,
            ),
          })
          .body(
            `multipart/form-data; boundary=${BOUNDARY}`,
            multipartBody(BOUNDARY, { resource_type: 'task', resource_id: EXAMPLE.taskGuid }, FILES),
          )
          .matchingRules({
            body: [
              { path: '$.resource_type', rules: [equal('task')] },
              { path: '$.resource_id', rules: [regex(UUID, EXAMPLE.taskGuid)] },
              { path: '$.file', rules: [contentType('text/plain')] },
            ],
          }),
      )
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(
          success({
            items: FILES.map((file, index) =>
              attachmentShape({
                guid: regex(UUID, `${EXAMPLE.attachmentGuid.slice(0, -1)}${index}`),
                name: file.name,
                size: Buffer.byteLength(file.content),
                taskGuid: taskGuidFromState(),
              }),
            ),
          }),
        ),
      )
      .executeTest(
        settled(async (mock) => {
          const client = clientOn(mock.url, { fetch: recorder.fetch });
          const uploaded = await client.attachments.upload(
            EXAMPLE.taskGuid,
            FILES.map((file) => ({ name: file.name, data: file.content, contentType: file.contentType })),
          );
          expect(uploaded.map((item) => [item.name, item.size])).toEqual(
            FILES.map((file) => [file.name, Buffer.byteLength(file.content)]),
          );
          expect(uploaded.every((item) => item.resource.id === EXAMPLE.taskGuid)).toBe(true);
        }),
      );

    // Pact compares only the first part of each name; the second `file` part is checked here.
    const upload = recorder.requests.find((request) => request.url.pathname === Path.upload)!;
    expect(
      multipartParts(upload.body, upload.contentType).map((part) => [
        part.name,
        part.filename ?? part.content,
      ]),
    ).toEqual([
      ['resource_type', 'task'],
      ['resource_id', EXAMPLE.taskGuid],
      ['file', 'notes.txt'],
      ['file', 'agenda.txt'],
    ]);
  });

  it('lists a task page by page, following page_token while has_more', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    const query = { resource_type: 'task', resource_id: taskGuidFromState(), page_size: '2' };
    pact
      .addInteraction()
      .given('task T has 3 attachments, listed 2 per page')
      .uponReceiving('a request for the first page of task T attachments')
      .withRequest('GET', Path.attachments, (request) =>
        request.headers({ authorization: bearerToken() }).query(query),
      )
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(
          success({
            items: eachLike(attachmentShape({ taskGuid: taskGuidFromState(), url: true }), 2),
            has_more: true,
            page_token: string(EXAMPLE.pageToken),
          }),
        ),
      );
    await pact
      .addInteraction()
      .given('task T has 3 attachments, listed 2 per page')
      .uponReceiving('a request for the page of task T attachments after the first 2')
      .withRequest('GET', Path.attachments, (request) =>
        request.headers({ authorization: bearerToken() }).query({
          ...query,
          page_token: injected('${pageToken}', EXAMPLE.pageToken, '^\\S+$'),
        }),
      )
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(
          success({
            items: eachLike(attachmentShape({ taskGuid: taskGuidFromState(), url: true }), 1),
            has_more: false,
          }),
        ),
      )
      .executeTest(
        settled(async (mock) => {
          const client = clientOn(mock.url);
          const first = await client.attachments.listPage({ taskGuid: EXAMPLE.taskGuid, pageSize: 2 });
          expect(first).toMatchObject({ has_more: true, page_token: EXAMPLE.pageToken });
          expect(first.items).toHaveLength(2);
          expect(first.items.every((item) => item.url === EXAMPLE_DOWNLOAD_URL)).toBe(true);

          const last = await client.attachments.listPage({
            taskGuid: EXAMPLE.taskGuid,
            pageSize: 2,
            pageToken: first.page_token,
          });
          expect(last.has_more).toBe(false);
          expect(last.page_token).toBeUndefined();
          expect(last.items).toHaveLength(1);

          // listAll walks the same two pages and stops on has_more: false.
          const all: Attachment[] = [];
          for await (const item of client.attachments.listAll({ taskGuid: EXAMPLE.taskGuid, pageSize: 2 })) {
            all.push(item);
          }
          expect(all).toHaveLength(3);
        }),
      );
  });

  it('gets one attachment with a temporary download URL', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await getAttachmentInteraction(pact).executeTest(
      settled(async (mock) => {
        const attachment = await clientOn(mock.url).attachments.get(EXAMPLE.attachmentGuid);
        expect(attachment).toMatchObject({
          guid: EXAMPLE.attachmentGuid,
          resource: { type: 'task', id: EXAMPLE.taskGuid },
          url: EXAMPLE_DOWNLOAD_URL,
        });
      }),
    );
  });

  it('deletes an attachment', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('task T has an attachment A')
      .uponReceiving('a request to delete attachment A')
      .withRequest('DELETE', attachmentPath(), (request) => request.headers({ authorization: bearerToken() }))
      .willRespondWith(200, (response) => response.headers(jsonResponseHeaders()).jsonBody(success({})))
      .executeTest(
        settled(async (mock) => {
          await expect(
            clientOn(mock.url).attachments.delete(EXAMPLE.attachmentGuid),
          ).resolves.toBeUndefined();
        }),
      );
  });

  it('downloads the bytes from the URL that get returned, without the Authorization header', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    getAttachmentInteraction(pact);
    await pact
      .addInteraction()
      .given('attachment A has a temporary download URL')
      .uponReceiving('a download of attachment A through its temporary URL')
      .withRequest('GET', DOWNLOAD_PATH, (request) =>
        request.query({ code: injected('${downloadCode}', EXAMPLE.downloadCode, '^[A-Za-z0-9_-]+$') }),
      )
      .willRespondWith(200, (response) =>
        response
          .headers({
            'content-type': regex('^text/plain(;.*)?$', 'text/plain'),
            'content-length': String(Buffer.byteLength(DOWNLOAD_CONTENT)),
            'content-disposition': regex(
              '^attachment; filename="notes\\.txt"$',
              'attachment; filename="notes.txt"',
            ),
          })
          .body('text/plain', Buffer.from(DOWNLOAD_CONTENT))
          // A binary body is matched by content type alone unless told otherwise; these are the seeded bytes.
          .matchingRules({ body: { path: '$', rules: [equal(DOWNLOAD_CONTENT)] } }),
      )
      .executeTest(
        settled(async (mock) => {
          // The example download host is routed to the mock server, as DNS would route Feishu's.
          const recorder = recordingFetch(fetchByAttempt([mock.url]));
          const client = clientOn(mock.url, { fetch: recorder.fetch });
          const download = await client.attachments.download(EXAMPLE.attachmentGuid);
          expect(await new Response(download.body).text()).toBe(DOWNLOAD_CONTENT);
          expect(download).toMatchObject({
            name: 'notes.txt',
            size: Buffer.byteLength(DOWNLOAD_CONTENT),
            contentType: 'text/plain',
          });
          const sent = recorder.requests.find((request) => request.url.pathname === DOWNLOAD_PATH)!;
          expect(sent.url.href).toBe(EXAMPLE_DOWNLOAD_URL);
          expect(sent.authorization).toBeNull();
        }),
      );
  });
});
