/** What "Mon espace" works out from the person's data, apart from the page (unit-tested). */
import type { Role } from '../__generated__/graphql.js';

export interface RoleGrantLike {
  role: Role;
  partner?: { slug: string; name: string } | null;
}

/** "Coordination du réseau", "Gestionnaire de La Cantine", "Accueil de La Serre". */
export function roleInWords(grant: RoleGrantLike): string {
  if (grant.role === 'COORDINATOR') return 'Coordination du réseau';
  const partner = grant.partner?.name ?? 'un partenaire';
  return grant.role === 'MANAGER' ? `Gestionnaire de ${partner}` : `Accueil de ${partner}`;
}

/** The partner an id of the partner contract names: `cantine` for `cantine:registration:<uuid>`. */
export function partnerOfId(id: string): string | null {
  const [partner, kind, uuid] = id.split(':');
  return partner && kind && uuid && partner !== 'network' ? partner : null;
}

export interface PersonRows {
  memberships: readonly { partnerSlug: string }[];
  registrations: readonly { id: string }[];
  visits: readonly { id: string }[];
}

/**
 * The partners that hold rows about the person (a member record, a registration, a visit):
 * those whose data closing the account erases, in the order of their slugs.
 */
export function partnersWithRows(rows: PersonRows): string[] {
  const partners = new Set<string>(rows.memberships.map((m) => m.partnerSlug));
  for (const { id } of [...rows.registrations, ...rows.visits]) {
    const partner = partnerOfId(id);
    if (partner) partners.add(partner);
  }
  return [...partners].sort();
}

/** Skills typed as one line, separated by commas or semicolons; blanks and repeats dropped. */
export function skillsFromText(text: string): string[] {
  const seen = new Set<string>();
  for (const skill of text.split(/[,;\n]/)) {
    const trimmed = skill.trim().replace(/\s+/g, ' ');
    if (trimmed && ![...seen].some((s) => s.toLowerCase() === trimmed.toLowerCase()))
      seen.add(trimmed);
  }
  return [...seen];
}

/** The file name of the data download: `mes-donnees-tiers-lieux-2026-03-14.json`. */
export function dataFileName(now: Date): string {
  return `mes-donnees-tiers-lieux-${now.toISOString().slice(0, 10)}.json`;
}
