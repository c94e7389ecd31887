/**
 * Who uses the console and what their roles allow, as the network says (`me.roles`). The page
 * shows only what a role allows; the partners refuse the rest anyway.
 */
import { operation } from '../../../graphql/client.js';
import { ask } from './api.js';

export interface ConsoleViewer {
  displayName: string;
  coordinator: boolean;
  /** Partner slug → its name and the viewer's role there. */
  partners: Map<string, { name: string; manager: boolean; staff: boolean }>;
}

interface MeResult {
  me: {
    id: string;
    displayName: string;
    roles: {
      role: 'COORDINATOR' | 'MANAGER' | 'STAFF';
      partner: { slug: string; name: string } | null;
    }[];
  } | null;
}

const ME = operation<MeResult, Record<string, never>>(/* GraphQL */ `
  query ConsoleViewer {
    me {
      id
      displayName
      roles {
        role
        partner {
          slug
          name
        }
      }
    }
  }
`);

let viewer: Promise<ConsoleViewer | null> | null = null;

/** The signed-in person, asked once per page load; null when nobody is signed in. */
export function consoleViewer(): Promise<ConsoleViewer | null> {
  viewer ??= ask(ME, {}).then((answer) => {
    const me = answer.data?.me;
    if (!me) return null;
    const partners = new Map<string, { name: string; manager: boolean; staff: boolean }>();
    for (const grant of me.roles) {
      if (!grant.partner) continue;
      const entry = partners.get(grant.partner.slug) ?? {
        name: grant.partner.name,
        manager: false,
        staff: false,
      };
      if (grant.role === 'MANAGER') entry.manager = true;
      if (grant.role === 'STAFF') entry.staff = true;
      partners.set(grant.partner.slug, entry);
    }
    return {
      displayName: me.displayName,
      coordinator: me.roles.some((g) => g.role === 'COORDINATOR'),
      partners,
    };
  });
  return viewer;
}

/** Runs the partner: spaces, events, members. */
export function canManage(viewer: ConsoleViewer, partner: string): boolean {
  return viewer.coordinator || viewer.partners.get(partner)?.manager === true;
}

/** Works its front desk: check-in, passes, registrations. */
export function canWorkDesk(viewer: ConsoleViewer, partner: string): boolean {
  return canManage(viewer, partner) || viewer.partners.get(partner)?.staff === true;
}
