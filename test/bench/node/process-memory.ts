/**
 * Resident memory of a browser and every process it started (renderer, GPU, storage, network),
 * read from /proc while a benchmark runs: what the machine actually spends, workers and
 * IndexedDB included, which no in-page API reports. Linux only; elsewhere it reports nothing.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const PAGE = 4096;

interface Proc {
  pid: number;
  ppid: number;
  rss: number;
}

/** Chromium's process kind from its command line: "browser", "renderer", "gpu-process", "utility:storage.mojom.StorageService"… */
function kindOf(pid: number): string {
  try {
    // Chromium retitles its child processes, which leaves their arguments space-separated.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const type = args.find((a) => a.startsWith('--type='))?.slice(7);
    const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
    return type ? (sub ? `${type}:${sub}` : type) : 'browser';
  } catch {
    return 'gone';
  }
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command name, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), ppid: Number(fields[1]), rss: Number(fields[21]) * PAGE });
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}

/** The pid of the process whose command line holds `marker` (a flag given only to the browser under test). */
export function findProcess(marker: string): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(marker)) return Number(name);
    } catch {
      // gone
    }
  }
  return null;
}

/** Bytes resident in `root` and all its descendants now, in total and by process kind. */
export function treeRss(root: number): { total: number; byKind: Map<string, number> } {
  const all = processes();
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let total = 0;
  const byKind = new Map<string, number>();
  const stack = all.filter((p) => p.pid === root);
  while (stack.length > 0) {
    const p = stack.pop() as Proc;
    total += p.rss;
    const kind = kindOf(p.pid);
    byKind.set(kind, (byKind.get(kind) ?? 0) + p.rss);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return { total, byKind };
}

export interface TreeMemory {
  start: number;
  peak: number;
  /** Highest growth over the start seen in each process kind (each at its own moment). */
  growthByKind: Map<string, number>;
}

/** Samples `treeRss(root)` every `everyMs` until stopped. */
export function sampleTree(root: number, everyMs = 250): { stop: () => TreeMemory } {
  const first = treeRss(root);
  let peak = first.total;
  const growthByKind = new Map<string, number>();
  const sample = () => {
    const now = treeRss(root);
    peak = Math.max(peak, now.total);
    for (const [kind, rss] of now.byKind) growthByKind.set(kind, Math.max(growthByKind.get(kind) ?? 0, rss - (first.byKind.get(kind) ?? 0)));
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { start: first.total, peak, growthByKind };
    },
  };
}
