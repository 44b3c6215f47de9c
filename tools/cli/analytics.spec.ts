import { describe, expect, it } from '@jest/globals';
import { runCli } from './cli';
import type { CliIo } from './cli';

function io(): CliIo & { out: string; err: string } {
  const result = {
    out: '',
    err: '',
    stdout: (t: string) => void (result.out += t),
    stderr: (t: string) => void (result.err += t),
    writeFile: async () => undefined,
    readStdin: async () => '',
  };
  return result;
}

describe('cashless analytics and demo (arguments)', () => {
  it('prints their help', async () => {
    const a = io();
    expect(await runCli(['analytics', 'help'], a)).toBe(0);
    expect(a.out).toContain('cashless analytics rebuild');
    const d = io();
    expect(await runCli(['demo', 'help'], d)).toBe(0);
    expect(d.out).toContain('--sink database');
  });

  it('refuses bad arguments with one line and exit 2, before touching any database', async () => {
    for (const argv of [
      ['analytics'],
      ['analytics', 'replay'],
      ['analytics', 'rebuild', '--late-seconds', '0'],
      ['analytics', 'rebuild', '--database-url', 'mysql://x'],
      ['demo', 'history', '--months', '0'],
      ['demo', 'history', '--merchants', 'many'],
      ['demo', 'history', '--sink', 'files'],
      ['demo', 'history', '--end', '2025-02-30'],
      ['demo', 'future'],
    ]) {
      const out = io();
      expect(await runCli(argv, out)).toBe(2);
      expect(out.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
