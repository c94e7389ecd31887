import { describe, expect, it } from 'vitest';
import {
  dataFileName,
  partnerOfId,
  partnersWithRows,
  roleInWords,
  skillsFromText,
} from '../src/app/account-data.js';

describe('Mon espace, apart from the page', () => {
  it('says roles in words', () => {
    expect(roleInWords({ role: 'COORDINATOR', partner: null })).toBe('Coordination du réseau');
    expect(roleInWords({ role: 'MANAGER', partner: { slug: 'cantine', name: 'La Cantine' } })).toBe(
      'Gestionnaire de La Cantine',
    );
    expect(roleInWords({ role: 'STAFF', partner: { slug: 'laserre', name: 'La Serre' } })).toBe(
      'Accueil de La Serre',
    );
  });

  it('finds the partners that hold rows about the person, once each', () => {
    expect(
      partnersWithRows({
        memberships: [{ partnerSlug: 'laserre' }, { partnerSlug: 'cantine' }],
        registrations: [
          { id: 'cantine:registration:9c1e3a5b-7d9f-4b1d-8f3a-5c7e9b1d3f41' },
          { id: 'locomotive:registration:be3a5c7d-9f1b-4d3f-8b5c-7e9a1b3d5f63' },
        ],
        visits: [
          { id: 'baronnies:visit:7a9c1e3f-5b7d-4f9b-8d1f-3a5c7e9b1d29' },
          { id: 'not-an-id' },
          { id: 'network:person:7a9c1e3f-5b7d-4f9b-8d1f-3a5c7e9b1d29' },
        ],
      }),
    ).toEqual(['baronnies', 'cantine', 'laserre', 'locomotive']);
    expect(partnersWithRows({ memberships: [], registrations: [], visits: [] })).toEqual([]);
    expect(partnerOfId('cantine')).toBeNull();
  });

  it('reads skills typed on one line', () => {
    expect(skillsFromText(' menuiserie, Comptabilité ;  soudure  à l’arc,menuiserie,, ')).toEqual([
      'menuiserie',
      'Comptabilité',
      'soudure à l’arc',
    ]);
    expect(skillsFromText('')).toEqual([]);
  });

  it('names the data file by its day', () => {
    expect(dataFileName(new Date('2026-03-14T10:00:00Z'))).toBe(
      'mes-donnees-tiers-lieux-2026-03-14.json',
    );
  });
});
