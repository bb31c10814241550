/** One measured figure, and how the harness prints it (a table for people, BENCH lines for machines). */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  better: 'higher' | 'lower';
  /** A peer library measured side by side in the same run. */
  vs?: { name: string; value: number };
  /** A target from the issue, printed beside the figure; never asserted. */
  target?: string;
}

export function benchLine(f: BenchFigure): string {
  const { target: _target, ...rest } = f;
  return `BENCH ${JSON.stringify({ ...rest, value: round(f.value), ...(f.vs ? { vs: { ...f.vs, value: round(f.vs.value) } } : {}) })}`;
}

export function table(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    f.vs ? `${f.vs.name}: ${fmt(f.vs.value)} ${f.unit} (×${fmt(f.better === 'higher' ? f.value / f.vs.value : f.vs.value / f.value)})` : '',
    f.target ?? '',
  ]);
  const head = ['figure', 'value', 'side by side', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 1000) / 1000);
// Scores under 1 (precision, F1) get three places: 0.929 printed as 0.93 would read as a target met.
const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(Math.abs(n) < 1 ? 3 : 2));
