import { useState } from 'preact/hooks';
import { controlPlane, data, type SeedTaskRequest } from '../api';
import { bytes } from '../format';
import type { Act } from './act';
import { inputValue } from './who';

// Seeding goes through POST /__mock/tasks as base64 JSON, which the emulator takes up to 1 MB.
const MAX_SEED_BYTES = 700 * 1024;

async function base64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}

/** A task with the files chosen or dropped here, put in without going through the Feishu API. */
export function SeedForm({ act }: { act: Act }) {
  const [summary, setSummary] = useState('Seeded from the inspector');
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const tooBig = total > MAX_SEED_BYTES;

  const submit = async (event: Event) => {
    event.preventDefault();
    const chosen = files;
    await act(`Seeded “${summary}” with ${chosen.length} file(s)`, async () => {
      const body: SeedTaskRequest = {
        summary,
        attachments: await Promise.all(
          chosen.map(async (file) => ({
            name: file.name,
            content: await base64(file),
            encoding: 'base64' as const,
            content_type: file.type || 'application/octet-stream',
          })),
        ),
      };
      await data(controlPlane.POST('/__mock/tasks', { body }));
      setFiles([]);
    });
  };

  return (
    <form class="seed" onSubmit={submit} aria-labelledby="seed-heading">
      <h3 id="seed-heading">Seed a task</h3>
      <label>
        Summary
        <input value={summary} required onInput={(event) => setSummary(inputValue(event))} />
      </label>
      <div
        class={dragging ? 'drop dragging' : 'drop'}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          setFiles([...files, ...Array.from(event.dataTransfer?.files ?? [])]);
        }}
      >
        <label>
          Files (or drop them here)
          <input
            type="file"
            multiple
            onChange={(event) => {
              const input = event.currentTarget as HTMLInputElement;
              setFiles([...files, ...Array.from(input.files ?? [])]);
              input.value = '';
            }}
          />
        </label>
        {files.length > 0 && (
          <ul class="chosen">
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`}>
                {file.name} <span class="muted">{bytes(file.size)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {tooBig && (
        <p class="problem" role="alert">
          {bytes(total)} is more than seeding takes ({bytes(MAX_SEED_BYTES)}); upload larger files through the
          Feishu API.
        </p>
      )}
      <button type="submit" disabled={tooBig}>
        Seed task
      </button>
    </form>
  );
}
