import { useState } from 'preact/hooks';
import { controlPlane, data, type FaultRequest, type FaultRule } from '../api';
import type { Act } from './act';
import { inputValue } from './who';

type Kind = 'error' | 'delay' | 'drop';

function describe(rule: FaultRule): string {
  const what = [rule.operation, rule.method, rule.path].filter(Boolean).join(' ');
  const action = rule.action.error
    ? `answer ${rule.action.error.status} / code ${rule.action.error.code}`
    : rule.action.drop
      ? 'drop the connection'
      : '';
  const delay = rule.action.delayMs ? `wait ${rule.action.delayMs} ms` : '';
  return `${what}: ${[delay, action].filter(Boolean).join(', then ')}`;
}

/** The armed fault rules, in the order they are tried, with a form to add one. */
type OperationName = NonNullable<FaultRequest['operation']>;

export function FaultsPanel({
  faults,
  operations,
  act,
}: {
  faults: FaultRule[];
  operations: string[];
  act: Act;
}) {
  // The select offers only names read from GET /__mock/operations, which are the document's enum.
  const [operation, setOperation] = useState<OperationName>('attachment.list');
  const [kind, setKind] = useState<Kind>('error');
  const [status, setStatus] = useState('500');
  const [code, setCode] = useState('1470500');
  const [msg, setMsg] = useState('injected fault');
  const [delayMs, setDelayMs] = useState('2000');
  const [times, setTimes] = useState('1');

  const submit = (event: Event) => {
    event.preventDefault();
    const rule: FaultRequest = {
      operation,
      times: Number(times),
      ...(kind === 'error' ? { error: { status: Number(status), code: Number(code), msg } } : {}),
      ...(kind === 'delay' ? { delayMs: Number(delayMs) } : {}),
      ...(kind === 'drop' ? { drop: true } : {}),
    };
    return act(`Armed a fault on ${operation}`, () =>
      data(controlPlane.POST('/__mock/faults', { body: rule })),
    );
  };

  return (
    <section class="panel faults" aria-labelledby="faults-heading">
      <h2 id="faults-heading">Faults</h2>
      {faults.length === 0 ? (
        <p class="muted">No faults armed.</p>
      ) : (
        <ul class="rules">
          {faults.map((rule) => (
            <li key={rule.id} data-fault={rule.id}>
              <span>
                {describe(rule)} <span class="muted">({rule.remaining} left)</span>
              </span>
              <button
                type="button"
                class="danger"
                aria-label={`Remove fault ${rule.id}`}
                onClick={() =>
                  act(`Removed fault ${rule.id}`, () =>
                    data(controlPlane.DELETE('/__mock/faults/{id}', { params: { path: { id: rule.id } } })),
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="fault-form" onSubmit={submit} aria-label="Add a fault">
        <label>
          Operation
          <select value={operation} onChange={(event) => setOperation(inputValue(event) as OperationName)}>
            {operations.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Action</legend>
          {(['error', 'delay', 'drop'] as const).map((value) => (
            <label key={value} class="inline">
              <input
                type="radio"
                name="fault-kind"
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
              />
              {value}
            </label>
          ))}
        </fieldset>
        {kind === 'error' && (
          <>
            <label>
              HTTP status
              <input
                type="number"
                min={100}
                max={599}
                required
                value={status}
                onInput={(e) => setStatus(inputValue(e))}
              />
            </label>
            <label>
              Feishu code
              <input type="number" required value={code} onInput={(e) => setCode(inputValue(e))} />
            </label>
            <label>
              Message
              <input value={msg} onInput={(e) => setMsg(inputValue(e))} />
            </label>
          </>
        )}
        {kind === 'delay' && (
          <label>
            Delay (ms, on the emulator clock)
            <input
              type="number"
              min={1}
              max={600000}
              required
              value={delayMs}
              onInput={(e) => setDelayMs(inputValue(e))}
            />
          </label>
        )}
        <label>
          Times
          <input type="number" min={1} required value={times} onInput={(e) => setTimes(inputValue(e))} />
        </label>
        <button type="submit">Add fault</button>
      </form>
    </section>
  );
}
