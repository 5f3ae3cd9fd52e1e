import { useState } from 'preact/hooks';
import { controlPlane, data, type DetailedJournalEntry, type JournalBody, type JournalEntry } from '../api';
import { bytes, clockTime } from '../format';
import { inputValue } from './who';

const STATUS_FILTERS: Record<string, (status: number) => boolean> = {
  any: () => true,
  '2xx': (status) => status >= 200 && status < 300,
  '4xx': (status) => status >= 400 && status < 500,
  '5xx': (status) => status >= 500,
  dropped: (status) => status === 0,
};

function Headers({ title, headers }: { title: string; headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  return (
    <div class="exchange-part">
      <h4>{title}</h4>
      {entries.length === 0 ? (
        <p class="muted">none</p>
      ) : (
        <dl class="headers">
          {entries.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

function Body({ title, body }: { title: string; body?: JournalBody }) {
  if (!body || (body.size === undefined && body.content_type === undefined)) {
    return (
      <div class="exchange-part">
        <h4>{title}</h4>
        <p class="muted">no body</p>
      </div>
    );
  }
  return (
    <div class="exchange-part">
      <h4>
        {title}{' '}
        <span class="muted">
          {body.content_type ?? 'no content type'}
          {body.size !== undefined && `, ${bytes(body.size)}`}
        </span>
      </h4>
      {body.json !== undefined && <pre class="json">{JSON.stringify(body.json, null, 2)}</pre>}
      {body.text !== undefined && (
        <pre class="text">
          {body.text}
          {body.truncated && '\n… (cut: the journal keeps the first 16 KiB)'}
        </pre>
      )}
      {body.parts && (
        <table class="parts">
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col">Filename</th>
              <th scope="col">Size</th>
              <th scope="col">Content type</th>
            </tr>
          </thead>
          <tbody>
            {body.parts.map((part, index) => (
              <tr key={index}>
                <td>{part.name}</td>
                <td>{part.filename ?? ''}</td>
                <td class="num">{bytes(part.size)}</td>
                <td>{part.content_type ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Entry({ entry }: { entry: JournalEntry }) {
  const [detail, setDetail] = useState<DetailedJournalEntry | 'loading' | Error>();
  const open = () => {
    // Read again while the call was still in flight, so its headers and bodies show once it ended.
    if (detail === 'loading' || (detail && !(detail instanceof Error) && detail.detail)) return;
    setDetail('loading');
    data(controlPlane.GET('/__mock/requests/{id}', { params: { path: { id: entry.id } } })).then(
      setDetail,
      setDetail,
    );
  };
  const failed = entry.status === 0 || entry.status >= 400;
  return (
    <li data-entry={entry.id}>
      <details onToggle={(event) => (event.currentTarget as HTMLDetailsElement).open && open()}>
        <summary class={failed ? 'failed' : undefined}>
          <span class="at">{clockTime(entry.at)}</span>
          <span class="method">{entry.method}</span>
          <span class="path">{entry.path}</span>
          <span class="status">{entry.status === 0 ? 'dropped' : entry.status}</span>
          {entry.code !== undefined && <span class="code">code {entry.code}</span>}
          {entry.operation && <span class="operation">{entry.operation}</span>}
        </summary>
        {detail === 'loading' && <p class="muted">Loading…</p>}
        {detail instanceof Error && <p class="problem">{detail.message}</p>}
        {detail && typeof detail === 'object' && !(detail instanceof Error) && (
          <div class="entry-detail">
            <dl class="facts">
              <div>
                <dt>Method</dt>
                <dd>{detail.method}</dd>
              </div>
              <div class="wide">
                <dt>Path</dt>
                <dd>{detail.path}</dd>
              </div>
              <div class="wide">
                <dt>Query</dt>
                <dd>
                  <code>{JSON.stringify(detail.query)}</code>
                </dd>
              </div>
              <div>
                <dt>Status</dt>
                <dd>{detail.status === 0 ? 'dropped (no answer)' : detail.status}</dd>
              </div>
              <div>
                <dt>Feishu code</dt>
                <dd>{detail.code ?? '—'}</dd>
              </div>
              <div>
                <dt>Log id</dt>
                <dd>
                  <code>{detail.log_id}</code>
                </dd>
              </div>
              <div>
                <dt>Duration</dt>
                <dd>{detail.duration_ms} ms</dd>
              </div>
              <div>
                <dt>Caller</dt>
                <dd>{detail.caller ?? '—'}</dd>
              </div>
            </dl>
            {detail.detail ? (
              <div class="exchange">
                <Headers title="Request headers" headers={detail.detail.request.headers} />
                <Body title="Request body" body={detail.detail.request.body} />
                <Headers title="Response headers" headers={detail.detail.response.headers} />
                <Body title="Response body" body={detail.detail.response.body} />
              </div>
            ) : (
              <p class="muted">Still in flight: headers and bodies follow when it ends.</p>
            )}
          </div>
        )}
      </details>
    </li>
  );
}

/** The journal of calls to the emulated surface, newest first, filterable; entries expand. */
export function JournalPanel({ entries, operations }: { entries: JournalEntry[]; operations: string[] }) {
  const [operation, setOperation] = useState('');
  const [status, setStatus] = useState('any');
  const shown = [...entries]
    .reverse()
    .filter(
      (entry) => (operation === '' || entry.operation === operation) && STATUS_FILTERS[status](entry.status),
    );
  return (
    <section class="panel journal" aria-labelledby="journal-heading">
      <h2 id="journal-heading">Journal</h2>
      <div class="filters">
        <label>
          Operation
          <select value={operation} onChange={(event) => setOperation(inputValue(event))}>
            <option value="">any</option>
            {operations.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(event) => setStatus(inputValue(event))}>
            {Object.keys(STATUS_FILTERS).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <span class="muted" aria-live="polite">
          {shown.length} of {entries.length} calls
        </span>
      </div>
      {shown.length === 0 ? (
        <p class="muted">No calls{entries.length > 0 ? ' match' : ' yet'}.</p>
      ) : (
        <ol class="entries">
          {shown.map((entry) => (
            <Entry key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}
