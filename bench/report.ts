import { writeFileSync } from 'node:fs';
import { Measurement, TargetName } from './scenario';

interface Target {
  text: string;
  met(measurement: Measurement): boolean;
}

/** The targets (2 cores; service, Postgres and load generator on one machine), as ratios to baselines of the same run. */
const TARGETS: Record<TargetName, Target> = {
  ingest: againstBaseline(1.0, 1.5),
  history: againstBaseline(0.6, 1.5),
  agent_list: againstBaseline(0.5, 2),
  drain_alone: {
    text: '>= 0.7x post + UPDATE baseline, exactly once',
    met: (m) => ratioOf(m)! >= 0.7 && m.problems.length === 0,
  },
  drain: { text: '>= 0.9x drain_alone, exactly once', met: (m) => ratioOf(m)! >= 0.9 && m.problems.length === 0 },
  growth: { text: '>= 0.9x on the smaller table', met: (m) => ratioOf(m)! >= 0.9 && m.problems.length === 0 },
};
const PEAK_RSS_TARGET_MB = 250;

export interface ScenarioFigures {
  value: number;
  unit: string;
  p50_ms: number;
  p99_ms: number;
  baseline: number | null;
  ratio: number | null;
  baseline_p99_ms: number | null;
  target: string;
  /** null in the smoke run, which checks correctness only. */
  met: boolean | null;
}

export interface BenchResults {
  scenarios: Record<string, ScenarioFigures>;
  peak_rss_mb: number | null;
}

export function toResults(measurements: Measurement[], peakRssMb: number | null, smoke: boolean): BenchResults {
  const scenarios = Object.fromEntries(
    measurements.map((m) => [
      m.name,
      {
        value: round(m.value),
        unit: m.unit,
        p50_ms: round(m.p50Ms),
        p99_ms: round(m.p99Ms),
        baseline: m.baseline === null ? null : round(m.baseline),
        ratio: ratioOf(m) === null ? null : round(ratioOf(m)!),
        baseline_p99_ms: m.baselineP99Ms === null ? null : round(m.baselineP99Ms),
        target: TARGETS[m.target].text,
        met: smoke ? null : TARGETS[m.target].met(m),
      },
    ]),
  );
  return { scenarios, peak_rss_mb: peakRssMb === null ? null : round(peakRssMb) };
}

export function writeResults(path: string, results: BenchResults): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

export function formatTable(results: BenchResults, smoke: boolean): string {
  const header = ['scenario', 'value', 'p50 ms', 'p99 ms', 'baseline', 'ratio', 'base p99', 'target', 'met'];
  const rows = Object.entries(results.scenarios).map(([name, s]) => [
    name,
    `${formatNumber(s.value)} ${s.unit}`,
    formatNumber(s.p50_ms),
    formatNumber(s.p99_ms),
    s.baseline === null ? '-' : `${formatNumber(s.baseline)} ${s.unit}`,
    s.ratio === null ? '-' : `${s.ratio.toFixed(2)}x`,
    s.baseline_p99_ms === null ? '-' : formatNumber(s.baseline_p99_ms),
    s.target,
    formatMet(s.met),
  ]);
  const rss = results.peak_rss_mb;
  rows.push([
    'peak RSS',
    rss === null ? 'unknown' : `${formatNumber(rss)} MB`,
    '',
    '',
    '',
    '',
    '',
    `< ${PEAK_RSS_TARGET_MB} MB`,
    formatMet(smoke || rss === null ? null : rss < PEAK_RSS_TARGET_MB),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const numeric = new Set([1, 2, 3, 4, 5, 6]);
  const line = (row: string[]) =>
    row
      .map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** At least `minRatio` of the baseline's throughput, with a p99 at most `maxP99Ratio` times the baseline's. */
function againstBaseline(minRatio: number, maxP99Ratio: number): Target {
  return {
    text: `>= ${minRatio.toFixed(1)}x baseline, p99 <= ${maxP99Ratio}x baseline's`,
    met: (m) => ratioOf(m)! >= minRatio && m.p99Ms <= maxP99Ratio * m.baselineP99Ms! && m.problems.length === 0,
  };
}

function ratioOf(m: Measurement): number | null {
  return m.baseline === null ? null : m.value / m.baseline;
}

function formatMet(met: boolean | null): string {
  return met === null ? '-' : met ? 'met' : 'NOT MET';
}

function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
