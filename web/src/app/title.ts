export const SITE = 'Réseau des tiers-lieux';

/** The document's title for a page's own title. */
export const pageTitle = (title: string) => `${title} – ${SITE}`;
