/**
 * web-llm reports loading as `{ progress, timeElapsed, text }` with the byte count only inside the
 * text ("Fetching param cache[3/40]: 120MB fetched. 15% completed, 30 secs elapsed. …"). This reads
 * bytes, total and an ETA out of it so the UI can show "120 MB of 800 MB · about 2 min left".
 */
import type { LoadProgress } from '../../ports/llm.ts';

export interface WebLlmReport {
  progress: number;
  timeElapsed: number;
  text: string;
}

/** LoadProgress plus what a download can tell: the phase and seconds left (when it can be estimated). */
export interface DownloadProgress extends LoadProgress {
  phase: 'download' | 'cache' | 'shaders' | 'other';
  etaSeconds?: number;
}

const MB = 1024 * 1024;

export function readWebLlmProgress(report: WebLlmReport): DownloadProgress {
  const fraction = Math.min(1, Math.max(0, report.progress));
  const fetched = /Fetching param cache\[\d+\/\d+\]: (\d+)MB fetched/.exec(report.text);
  const cached = /Loading model from cache\[\d+\/\d+\]: (\d+)MB loaded/.exec(report.text);
  const phase = fetched ? 'download' : cached ? 'cache' : /shader/i.test(report.text) ? 'shaders' : 'other';
  const out: DownloadProgress = { fraction, phase, text: report.text };
  const mbDone = fetched?.[1] ?? cached?.[1];
  if (mbDone !== undefined) {
    out.loadedBytes = Number(mbDone) * MB;
    // web-llm rounds MB up, so the total is an estimate; it is only shown rounded.
    if (fraction > 0) out.totalBytes = Math.round(out.loadedBytes / fraction);
  }
  if (phase === 'download' && fraction > 0 && fraction < 1 && report.timeElapsed > 0) {
    out.etaSeconds = Math.round((report.timeElapsed * (1 - fraction)) / fraction);
  }
  out.text = describeProgress(out);
  return out;
}

export function describeProgress(p: DownloadProgress): string {
  const pct = `${Math.floor(p.fraction * 100)}%`;
  if (p.phase === 'download' && p.loadedBytes !== undefined) {
    const of = p.totalBytes ? ` of ${Math.round(p.totalBytes / MB)} MB` : '';
    const eta = p.etaSeconds !== undefined ? ` · about ${formatEta(p.etaSeconds)} left` : '';
    return `Downloading: ${Math.round(p.loadedBytes / MB)} MB${of} (${pct})${eta}`;
  }
  if (p.phase === 'cache') return `Loading from the browser cache onto the GPU (${pct})`;
  if (p.phase === 'shaders') return `Compiling GPU shaders (${pct})`;
  return p.text;
}

export function formatEta(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  return `${h} h ${Math.round((seconds - h * 3600) / 60)} min`;
}
