// Resident memory of another process, from /proc (Linux only). Servers run as child processes,
// so what is counted is theirs alone, not the load generator's.
import { readFileSync, writeFileSync } from 'node:fs';

/** Current resident set (VmRSS) and its peak since start or the last reset (VmHWM), in bytes. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
}

/** Sets VmHWM back to the current RSS (`5` to clear_refs, Linux ≥ 4.0); false where refused. */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * How far a process's RSS rises above where it stood while `action` runs: peak minus the RSS
 * before. The kernel's peak (VmHWM, reset first) catches short spikes; where it cannot be reset,
 * RSS sampled every 10 ms stands in.
 */
export async function peakGrowthDuring(pid, action) {
  const reset = resetPeak(pid);
  const before = memoryOf(pid).rss;
  let sampled = before;
  const sampler = setInterval(() => {
    try {
      sampled = Math.max(sampled, memoryOf(pid).rss);
    } catch {
      // The process ended; the action will say why.
    }
  }, 10);
  let result;
  try {
    result = await action();
  } finally {
    clearInterval(sampler);
  }
  const after = memoryOf(pid);
  const peak = Math.max(sampled, reset ? after.peak : after.rss);
  return { result, before, peak, growth: Math.max(0, peak - before) };
}

/** CPU time (user + system) a process has used so far, in µs, from /proc (NaN where unreadable). */
export function cpuMicrosOf(pid) {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/**
 * CPU time (user + system) of this process's children that have ended and been waited for, with
 * their own waited-for children, in µs (NaN where unreadable). Its growth across one child's run
 * is the CPU that child's whole process tree used (a test runner and its workers), when no other
 * child ends meanwhile.
 */
export function endedChildrenCpuMicros() {
  try {
    // cutime and cstime are the 16th and 17th fields.
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1e6) / 100;
  } catch {
    return NaN;
  }
}
