/**
 * The consoles' entry, loaded by the site's router only on console paths (its own chunk, with
 * the charting library in another one loaded only by the pages that draw).
 */
import { renderDeskConsole } from './desk/console.js';
import { renderNetworkConsole } from './network/routes.js';

/** Renders the console page at `url` (`/reseau…` or `/gestion…`); answers the page title. */
export function renderConsole(main: HTMLElement, url: URL): Promise<string> {
  if (url.pathname === '/gestion' || url.pathname.startsWith('/gestion/'))
    return renderDeskConsole(main, url);
  return renderNetworkConsole(main, url);
}
