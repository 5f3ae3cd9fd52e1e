import type { Sandbox } from '../api';

const label = (sandbox: Sandbox) => (sandbox.name ? `${sandbox.id} · ${sandbox.name}` : sandbox.id);

/** Which sandbox the page shows and steers: every control call of the page goes to the one picked. */
export function SandboxPicker({
  sandboxes,
  shown,
  choose,
}: {
  sandboxes: Sandbox[];
  shown: string;
  choose: (id: string) => void;
}) {
  // Until the first read lists it, the shown sandbox is still an option, so the select shows it.
  const options = sandboxes.some((sandbox) => sandbox.id === shown)
    ? sandboxes
    : [...sandboxes, { id: shown } as Sandbox];
  // A label beside the select, not around it: around it, its name would take in the option shown.
  return (
    <div class="sandbox-picker">
      <label for="sandbox-picker" class="muted">
        Sandbox
      </label>
      <select
        id="sandbox-picker"
        value={shown}
        onChange={(event) => choose((event.currentTarget as HTMLSelectElement).value)}
      >
        {options.map((sandbox) => (
          <option key={sandbox.id} value={sandbox.id}>
            {label(sandbox)}
          </option>
        ))}
      </select>
    </div>
  );
}
