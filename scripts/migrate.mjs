// `pnpm migrate --service space|network`: applies that service's pending migrations to the
// database its environment names (DATABASE_URL, and PARTNER for a partner), then exits; the
// same as `node subgraphs/<service>/dist/main.js migrate`. `pnpm migrate` builds first if needed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVICES = ['space', 'network'];
const args = process.argv.slice(2);
const at = args.indexOf('--service');
const service = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith('--service='))?.slice(10);
if (!service || !SERVICES.includes(service)) {
  console.error(`usage: pnpm migrate --service ${SERVICES.join('|')}`);
  process.exit(2);
}
const main = fileURLToPath(new URL(`../subgraphs/${service}/dist/main.js`, import.meta.url));
const { status } = spawnSync(process.execPath, [main, 'migrate'], { stdio: 'inherit' });
process.exit(status ?? 1);
