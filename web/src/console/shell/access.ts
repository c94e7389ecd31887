/**
 * The console's role check: who is signed in, with the roles the network grants. The page only
 * chooses what to show; every field it asks for is refused by the subgraphs to anyone else.
 */
import { request } from '../../graphql/client.js';
import { CONSOLE_VIEWER } from './operations.js';

export interface ConsoleViewer {
  personId: string;
  name: string;
  coordinator: boolean;
  manages: string[];
  staffs: string[];
}

/** The signed-in person, or null for an anonymous visitor. */
export async function consoleViewer(): Promise<ConsoleViewer | null> {
  const answer = await request('/graphql', CONSOLE_VIEWER, {});
  const me = answer.data?.me;
  if (!me) return null;
  const slugs = (role: string) =>
    me.roles.flatMap((r) => (r.role === role && r.partner ? [r.partner.slug] : []));
  return {
    personId: me.id,
    name: me.displayName,
    coordinator: me.roles.some((r) => r.role === 'COORDINATOR'),
    manages: slugs('MANAGER'),
    staffs: slugs('STAFF'),
  };
}
