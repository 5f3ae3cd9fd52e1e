import type { DownloadUrl, InspectedState } from '../api';
import { countdown, instant } from '../format';

type UrlStatus = 'live' | 'expired' | 'used-up';

// Expiry is judged on the emulator's clock, as the emulator does; it also says so on each read.
function statusOf(url: DownloadUrl, now: number): UrlStatus {
  if (url.expired || now >= url.expires_at) return 'expired';
  if (url.uses_left <= 0) return 'used-up';
  return 'live';
}

const LABELS: Record<UrlStatus, string> = { live: 'live', expired: 'expired', 'used-up': 'used up' };

/** The newest issued download URLs (already newest first), counting down on the emulator's clock. */
export function DownloadUrlsPanel({
  urls,
  state,
  now,
}: {
  urls: DownloadUrl[];
  state: InspectedState;
  now: number;
}) {
  const names = new Map(
    state.tasks.flatMap((task) => task.attachments.map((a) => [a.guid, a.name] as const)),
  );
  return (
    <section class="panel urls" aria-labelledby="urls-heading">
      <h2 id="urls-heading">Download URLs</h2>
      {urls.length === 0 ? (
        <p class="muted">None issued. A list or get call, or Download here, mints one (3 minutes, 3 uses).</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Attachment</th>
                <th scope="col">Issued</th>
                <th scope="col">Uses left</th>
                <th scope="col">Time left</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {urls.map((url) => {
                const status = statusOf(url, now);
                return (
                  <tr key={url.url} data-url={url.url} data-status={status} class={status}>
                    <td title={url.url}>
                      {names.get(url.attachment_guid) ?? <code>{url.attachment_guid}</code>}
                    </td>
                    <td>{instant(url.issued_at)}</td>
                    <td class="num uses">{url.uses_left} of 3</td>
                    <td class="num left">{countdown(url.expires_at - now)}</td>
                    <td>
                      <span class={`badge ${status}`}>{LABELS[status]}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
