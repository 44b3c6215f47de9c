import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: the nearest folder upwards whose package.json is this project's. */
export function repoRoot(from = process.cwd()): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'cashless-street') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Run this from inside the cashless-street repository');
    dir = parent;
  }
}

/** Local state (broker data, embedded database, logs); git-ignored. */
export function dataDir(root = repoRoot()): string {
  return process.env.CASHLESS_DATA_DIR ?? join(root, '.data');
}
