import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and memory of processes, read from Linux's /proc: what the system benchmark reports
 * per service. A "process" here may be a tree (PostgreSQL is a postmaster plus one backend per
 * connection), summed over its live members.
 */
export interface ProcSample {
  /** User + system CPU time in seconds. */
  cpuSeconds: number;
  /** Resident set size in bytes. */
  rssBytes: number;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ is 100 on every Linux architecture in use). */
const TICKS_PER_SECOND = 100;

/** One process's CPU time and RSS; undefined when it is gone (or not on Linux). */
export function readProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    return { cpuSeconds: (utime + stime) / TICKS_PER_SECOND, rssBytes: rssKb * 1024 };
  } catch {
    return undefined;
  }
}

/** The pid and its descendants (PostgreSQL's backends), from each process's parent in /proc. */
export function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [root];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

export interface ProcUsage {
  name: string;
  /** CPU cores used on average over the sampled window (1.0 = one core busy all the time). */
  cpuCores: number;
  /** Highest RSS seen in any sample, in bytes (a tree: the highest sum). */
  peakRssBytes: number;
  samples: number;
}

interface Track {
  /** CPU seconds accumulated by pids that have since been replaced (a restarted service). */
  carried: number;
  lastPid: number | undefined;
  lastCpu: number;
  firstCpu: number | undefined;
  peakRss: number;
  samples: number;
}

/**
 * Samples named processes every `intervalMs`. `pids()` is asked each time, so a service that is
 * killed and restarted keeps one row: its CPU time is carried over from the process it replaced.
 */
export class ProcSampler {
  private readonly tracks = new Map<string, Track>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private stoppedAt = 0;

  constructor(
    private readonly pids: () => Map<string, { pid: number; tree: boolean } | undefined>,
    private readonly intervalMs = 500,
  ) {}

  start(): this {
    this.startedAt = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): ProcUsage[] {
    clearInterval(this.timer);
    this.sample();
    this.stoppedAt = performance.now();
    return this.usage();
  }

  usage(): ProcUsage[] {
    const seconds = ((this.stoppedAt || performance.now()) - this.startedAt) / 1000;
    return [...this.tracks].map(([name, t]) => ({
      name,
      cpuCores: seconds > 0 ? (t.carried + t.lastCpu - (t.firstCpu ?? 0)) / seconds : 0,
      peakRssBytes: t.peakRss,
      samples: t.samples,
    }));
  }

  private sample(): void {
    for (const [name, target] of this.pids()) {
      let track = this.tracks.get(name);
      if (!track) {
        track = { carried: 0, lastPid: undefined, lastCpu: 0, firstCpu: undefined, peakRss: 0, samples: 0 };
        this.tracks.set(name, track);
      }
      if (!target) continue;
      const members = target.tree ? processTree(target.pid) : [target.pid];
      let cpu = 0;
      let rss = 0;
      for (const pid of members) {
        const s = readProc(pid);
        if (!s) continue;
        cpu += s.cpuSeconds;
        rss += s.rssBytes;
      }
      if (track.lastPid !== target.pid) {
        // A new process under this name: keep what the old one used, count the new one from 0.
        if (track.firstCpu === undefined) track.firstCpu = cpu;
        else track.carried += track.lastCpu;
        if (track.lastPid !== undefined) track.lastCpu = 0;
        track.lastPid = target.pid;
      }
      // A tree loses the CPU time of backends that exited; never let the total go backwards.
      track.lastCpu = Math.max(track.lastCpu, cpu);
      track.peakRss = Math.max(track.peakRss, rss);
      track.samples++;
    }
  }
}
