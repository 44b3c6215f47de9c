import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';

/** Replaces (or appends) one benchmark's section in docs/benchmarks.md. */
export function writeBenchmarkSection(root: string, name: string, body: string): void {
  const file = join(root, 'docs/benchmarks.md');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const header =
    '# Benchmarks\n\nFigures written by the `npm run bench:*` scripts. Each run prints its own same-run ' +
    'baseline next to the result, so figures read as ratios on the machine that produced them.\n';
  const current = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const section = `${start}\n${body.trim()}\n${end}`;
  const next = current.includes(start)
    ? current.replace(new RegExp(`${escape(start)}[\\s\\S]*?${escape(end)}`), section)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
