import { readFileSync } from 'node:fs';

// Linux reports CPU time in clock ticks of 1/100 s (USER_HZ, 100 on every architecture Node runs on here).
const TICK_MS = 10;

/** CPU busy on the whole machine since boot, every core, ms. */
function machineBusyMs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks;
  return (user + nice + system + irq + softirq + steal) * TICK_MS;
}

/** utime, stime, cutime and cstime of a process, ms. */
function processTimes(pid: number | 'self'): [number, number, number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), from field 3 on: utime, stime, cutime, cstime are 14 to 17.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return fields.slice(11, 15).map((ticks) => ticks * TICK_MS) as [number, number, number, number];
}

/** This process's CPU and that of its children it has waited for (a pgbench run), ms. */
function clientMs(): number {
  return processTimes('self').reduce((sum, ms) => sum + ms);
}

/** A running process's own CPU so far, ms. */
export function processCpuMs(pid: number): number {
  const [utime, stime] = processTimes(pid);
  return utime + stime;
}

export interface CpuUse {
  /** Every process on the machine but the load client: replicas, PostgreSQL, Redis, the kernel. */
  serverMs: number;
  /** The load client: this process, and the children it has waited for. */
  clientMs: number;
  wallMs: number;
}

/**
 * Server CPU over a window: the machine's busy time minus the load client's own. Started and
 * stopped around the part worth measuring (selling, not logging in).
 */
export function cpuMeter() {
  let start: { busy: number; client: number; at: number } | undefined;
  let use: CpuUse | undefined;
  return {
    start() {
      start = { busy: machineBusyMs(), client: clientMs(), at: performance.now() };
    },
    stop() {
      if (!start) throw new Error('cpuMeter stopped before it started');
      const client = clientMs() - start.client;
      use = { serverMs: machineBusyMs() - start.busy - client, clientMs: client, wallMs: performance.now() - start.at };
    },
    /** What the last start–stop window used. */
    get use(): CpuUse {
      if (!use) throw new Error('cpuMeter read before it stopped');
      return use;
    },
  };
}
