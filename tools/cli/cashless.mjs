#!/usr/bin/env node
/*
 * `cashless` launcher (package.json "bin"). The command line is TypeScript compiled to dist/,
 * which is not committed: after a fresh `npm ci` this builds once (`npm run build`), and again
 * whenever a source of the CLI or of libs/vietqr is newer than the build, then runs
 * dist/tools/cli/main.js. Build output goes to stderr so stdout stays the command's own.
 * See docs/adr/0006-vietqr-library-and-cli.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'dist', 'tools', 'cli', 'main.js');
const sources = ['tools/cli', 'libs', 'apps/bank-sim/src', 'apps/ledger/src', 'apps/analytics/src'].map((dir) => join(root, dir));

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function needsBuild() {
  if (!existsSync(main)) return true;
  const built = statSync(main).mtimeMs;
  return sources.some((dir) => newestSource(dir) > built);
}

if (needsBuild()) {
  process.stderr.write('cashless: building dist/ (npm run build)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0 || !existsSync(main)) {
    process.stderr.write(`cashless: the build failed (exit ${build.status}); run \`npm run build\` to see why\n`);
    process.exit(1);
  }
}

await import(pathToFileURL(main).href);
