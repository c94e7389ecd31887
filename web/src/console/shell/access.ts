/**
 * The console's role check: who is signed in, with the roles the network grants. The page only
 * chooses what to show; every field it asks for is refused by the subgraphs to anyone else.
 */
import { ask, CONSOLE_VIEWER } from './operations.js';

export interface ConsoleViewer {
  personId: string;
  name: string;
  coordinator: boolean;
  manages: string[];
  staffs: string[];
  /** The partners where the viewer holds a role: slug → the partner's name. */
  partners: Map<string, string>;
}

/** The signed-in person, or null for an anonymous visitor. */
export async function consoleViewer(): Promise<ConsoleViewer | null> {
  const answer = await ask(CONSOLE_VIEWER, {});
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
    partners: new Map(
      me.roles.flatMap((r) => (r.partner ? [[r.partner.slug, r.partner.name]] : [])),
    ),
  };
}

/** Runs the partner: spaces, events, members. */
export function canManage(viewer: ConsoleViewer, partner: string): boolean {
  return viewer.coordinator || viewer.manages.includes(partner);
}

/** Works its front desk: check-in, passes, registrations. */
export function canWorkDesk(viewer: ConsoleViewer, partner: string): boolean {
  return canManage(viewer, partner) || viewer.staffs.includes(partner);
}
