import { execFileSync } from 'node:child_process';
import { ROOT } from './processes.js';

/**
 * The build (`pnpm build`: every `dist/`, the embedded network's bundle) that the tests which
 * run programs as an operator does start from: made once, before any test file runs, so that
 * no test rebuilds it under another one's running program.
 */
export default function setup() {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-needed'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
