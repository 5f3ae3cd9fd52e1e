import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { controlPlane, data } from './api';
import { emulatorNow, useInspectorData, useTick } from './inspector-data';
import { ClockBar } from './panels/clock-bar';
import { DownloadUrlsPanel } from './panels/download-urls-panel';
import { FaultsPanel } from './panels/faults-panel';
import { JournalPanel } from './panels/journal-panel';
import { SandboxPicker } from './panels/sandbox-picker';
import { StatePanel } from './panels/state-panel';
import './styles.css';

function Inspector() {
  const { snapshot, sandboxes, sandbox, sandboxNote, choose, problem, notice, act } = useInspectorData();
  const [operations, setOperations] = useState<string[]>([]);
  useTick();

  useEffect(() => {
    data(controlPlane.GET('/__mock/operations')).then(
      (list) => setOperations(list.items),
      () => setOperations([]),
    );
  }, []);

  const now = snapshot ? emulatorNow(snapshot.clock) : undefined;
  return (
    <>
      <header class="top">
        <h1>
          mock-feishu <span class="muted">inspector</span>
        </h1>
        {sandboxes && <SandboxPicker sandboxes={sandboxes} shown={sandbox} choose={choose} />}
        {snapshot && now !== undefined && (
          <ClockBar now={now} frozen={snapshot.clock.frozen} rateLimits={snapshot.rateLimits} act={act} />
        )}
      </header>
      <div class="messages" aria-live="polite">
        {sandboxNote && <p class="warning">{sandboxNote}</p>}
        {problem ? (
          <p class="problem" role="alert">
            {problem}
          </p>
        ) : (
          notice && <p class="notice">{notice}</p>
        )}
      </div>
      {!snapshot || now === undefined ? (
        <p class="muted loading">Reading the emulator…</p>
      ) : (
        <main class="layout">
          <div class="column">
            <StatePanel state={snapshot.state} act={act} />
          </div>
          <div class="column">
            <DownloadUrlsPanel urls={snapshot.downloadUrls} state={snapshot.state} now={now} />
            <FaultsPanel faults={snapshot.faults} operations={operations} act={act} />
          </div>
          <JournalPanel entries={snapshot.journal} operations={operations} />
        </main>
      )}
    </>
  );
}

render(<Inspector />, document.getElementById('app') as HTMLElement);
