/** The coordinators' console, « Réseau »: its pages under `/reseau/`. */
import { consoleViewer } from '../shell/access.js';
import { consoleFrame, refusal, type ConsoleSection } from '../shell/layout.js';
import { partnersPage } from './partners.js';
import { passesPage } from './passes.js';
import { settlementPage } from './settlement.js';
import { statisticsPage } from './statistics.js';

export const NETWORK_CONSOLE: ConsoleSection = {
  name: 'Réseau',
  pages: [
    { path: '/reseau/partenaires', label: 'Partenaires' },
    { path: '/reseau/pass', label: 'Pass' },
    { path: '/reseau/reglements', label: 'Règlements' },
    { path: '/reseau/statistiques', label: 'Statistiques' },
  ],
};

const PAGES: Record<string, (body: HTMLElement, url: URL) => Promise<string>> = {
  '/reseau/partenaires': partnersPage,
  '/reseau/pass': passesPage,
  '/reseau/reglements': settlementPage,
  '/reseau/statistiques': statisticsPage,
};

export async function renderNetworkConsole(main: HTMLElement, url: URL): Promise<string> {
  const viewer = await consoleViewer();
  if (!viewer?.coordinator) return refusal(main, NETWORK_CONSOLE, viewer !== null);
  const path = url.pathname in PAGES ? url.pathname : '/reseau/partenaires';
  const body = consoleFrame(main, NETWORK_CONSOLE, path, viewer);
  const title = await PAGES[path]!(body, url);
  return `${title} – ${NETWORK_CONSOLE.name}`;
}
