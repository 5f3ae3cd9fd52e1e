import { useState } from 'preact/hooks';
import { controlPlane, data } from '../api';
import { instant } from '../format';
import type { Act } from './act';
import { inputValue } from './who';

const STEPS: { label: string; ms: number }[] = [
  { label: '+1 s', ms: 1000 },
  { label: '+1 min', ms: 60_000 },
  { label: '+3 min', ms: 180_000 },
];

const setClock = (body: { advanceMs?: number; setMs?: number; freeze?: boolean }) =>
  data(controlPlane.POST('/__mock/clock', { body }));

/** The emulator's time and limits, and the buttons that move or reset them. */
export function ClockBar({
  now,
  frozen,
  rateLimits,
  act,
}: {
  now: number;
  frozen: boolean;
  rateLimits: boolean;
  act: Act;
}) {
  const [seconds, setSeconds] = useState('30');
  return (
    <section class="clock-bar" aria-labelledby="clock-heading">
      <h2 id="clock-heading" class="visually-hidden">
        Clock and limits
      </h2>
      <div class="now">
        <span class="muted">Emulator time</span>
        <output class="time" aria-label="Emulator time">
          {instant(now)}
        </output>
        <span class={frozen ? 'badge frozen' : 'badge running'}>{frozen ? 'frozen' : 'running'}</span>
      </div>
      <div class="controls" role="group" aria-label="Move the clock">
        {STEPS.map((step) => (
          <button
            type="button"
            key={step.label}
            onClick={() => act(`Clock ${step.label}`, () => setClock({ advanceMs: step.ms }))}
          >
            {step.label}
          </button>
        ))}
        <form
          class="custom"
          onSubmit={(event) => {
            event.preventDefault();
            return act(`Clock +${seconds} s`, () =>
              setClock({ advanceMs: Math.round(Number(seconds) * 1000) }),
            );
          }}
        >
          <label>
            <span class="visually-hidden">Seconds to advance</span>
            <input
              type="number"
              min={0}
              step="any"
              required
              value={seconds}
              onInput={(e) => setSeconds(inputValue(e))}
            />
          </label>
          <button type="submit">Advance</button>
        </form>
        <button
          type="button"
          onClick={() => act(frozen ? 'Clock unfrozen' : 'Clock frozen', () => setClock({ freeze: !frozen }))}
        >
          {frozen ? 'Unfreeze' : 'Freeze'}
        </button>
        <button
          type="button"
          onClick={() =>
            act('Clock reset to wall-clock time', () => setClock({ setMs: Date.now(), freeze: false }))
          }
        >
          Reset clock
        </button>
      </div>
      <div class="controls" role="group" aria-label="Limits and reset">
        <label class="inline">
          <input
            type="checkbox"
            checked={rateLimits}
            onChange={(event) => {
              const enabled = (event.currentTarget as HTMLInputElement).checked;
              return act(`Rate limits ${enabled ? 'on' : 'off'}`, () =>
                data(controlPlane.PUT('/__mock/rate-limits', { body: { enabled } })),
              );
            }}
          />
          Rate limits
        </label>
        <button
          type="button"
          class="danger"
          onClick={() => act('Emulator reset', () => data(controlPlane.POST('/__mock/reset', { body: {} })))}
        >
          Reset emulator
        </button>
      </div>
    </section>
  );
}
