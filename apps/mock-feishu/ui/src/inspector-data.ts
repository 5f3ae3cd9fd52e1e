import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import {
  controlPlane,
  data,
  DEFAULT_SANDBOX,
  sandboxInAddress,
  showSandbox,
  shownSandbox,
  type ClockState,
  type DownloadUrl,
  type FaultRule,
  type InspectedState,
  type JournalEntry,
  type Sandbox,
} from './api';

/** How often the page reads the control plane again; the page also reads right after each action. */
export const POLL_MS = 1000;
/** Newest journal entries the page shows. */
export const JOURNAL_SHOWN = 200;
/** Newest download URLs the page shows: one page of `GET /__mock/download-urls?order=desc`. */
export const DOWNLOAD_URLS_SHOWN = 200;

export interface Snapshot {
  /** The sandbox it was read from. */
  sandbox: string;
  clock: ClockState & { readAt: number };
  state: InspectedState;
  downloadUrls: DownloadUrl[];
  journal: JournalEntry[];
  faults: FaultRule[];
  rateLimits: boolean;
}

async function readSnapshot(): Promise<Snapshot> {
  // Every call below is built now, before the first await, so all go to this one sandbox.
  const sandbox = shownSandbox();
  const [clock, state, downloadUrls, journal, faults, rateLimits] = await Promise.all([
    data(controlPlane.GET('/__mock/clock')),
    data(controlPlane.GET('/__mock/state')),
    data(
      controlPlane.GET('/__mock/download-urls', {
        params: { query: { order: 'desc', page_size: DOWNLOAD_URLS_SHOWN } },
      }),
    ),
    data(controlPlane.GET('/__mock/requests', { params: { query: { limit: JOURNAL_SHOWN } } })),
    data(controlPlane.GET('/__mock/faults')),
    data(controlPlane.GET('/__mock/rate-limits')),
  ]);
  return {
    sandbox,
    clock: { ...clock, readAt: performance.now() },
    state,
    downloadUrls: downloadUrls.items,
    journal: journal.items,
    faults: faults.items,
    rateLimits: rateLimits.enabled,
  };
}

/** The live sandboxes, the default one first (the control plane lists it first too). */
async function readSandboxes(): Promise<Sandbox[]> {
  const { items } = await data(controlPlane.GET('/__mock/sandboxes'));
  return [...items].sort((a, b) => Number(b.default) - Number(a.default));
}

/**
 * Everything the page shows, read every POLL_MS (one read at a time) and right after an action:
 * the live sandboxes first, then the shown sandbox's state. A shown sandbox that is gone (deleted,
 * or a stale address) gives way to the default one, with `sandboxNote` saying so.
 * `act` runs an action, reports its failure in `problem`, and reads again; `choose` shows another sandbox.
 */
export function useInspectorData() {
  const [snapshot, setSnapshot] = useState<Snapshot>();
  const [sandboxes, setSandboxes] = useState<Sandbox[]>();
  const [sandbox, setSandbox] = useState(shownSandbox);
  const [sandboxNote, setSandboxNote] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const reading = useRef<Promise<void> | undefined>(undefined);

  const read = useCallback(() => {
    reading.current ??= (async () => {
      const live = await readSandboxes();
      setSandboxes(live);
      const wanted = shownSandbox();
      if (!live.some((candidate) => candidate.id === wanted)) {
        showSandbox(DEFAULT_SANDBOX);
        setSandbox(DEFAULT_SANDBOX);
        setSandboxNote(`Sandbox ${wanted} does not exist (any more): showing the default sandbox.`);
      }
      const next = await readSnapshot();
      // A pick made while this read was under way: the next read is the picked sandbox's.
      if (next.sandbox === shownSandbox()) setSnapshot(next);
    })()
      .then(
        () => setProblem(undefined),
        (error: Error) => setProblem(`Could not read the control plane: ${error.message}`),
      )
      .finally(() => (reading.current = undefined));
    return reading.current;
  }, []);

  const choose = useCallback(
    async (id: string) => {
      if (id === shownSandbox()) return;
      showSandbox(id);
      setSandbox(id);
      setSandboxNote(undefined);
      setNotice(undefined);
      // Nothing of the sandbox shown before stays on screen as if it were this one's.
      setSnapshot(undefined);
      await reading.current;
      await read();
    },
    [read],
  );

  // The address edited by hand (or Back/Forward across fragments) picks too.
  useEffect(() => {
    const follow = () => void choose(sandboxInAddress());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [choose]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const loop = () =>
      void read().then(() => {
        if (!stopped) timer = setTimeout(loop, POLL_MS);
      });
    loop();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [read]);

  const act = useCallback(
    async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
        setNotice(what);
        setProblem(undefined);
      } catch (error) {
        setProblem(`${what} failed: ${(error as Error).message}`);
      }
      // A read already under way may predate the action, so wait for it and read once more.
      await reading.current;
      await read();
    },
    [read],
  );

  return { snapshot, sandboxes, sandbox, sandboxNote, choose, problem, notice, act };
}

/** The emulator's "now": its clock as last read, run on locally unless frozen. */
export function emulatorNow(clock: Snapshot['clock'], at = performance.now()): number {
  return clock.frozen ? clock.now : clock.now + (at - clock.readAt);
}

/** Re-renders every `ms`, for countdowns between reads. */
export function useTick(ms = 250): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((value) => value + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
