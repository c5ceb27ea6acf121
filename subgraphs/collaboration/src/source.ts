/** Shown with Task Force records; the kit adds "(synthetic development data)" when the database was seeded (agencies are real, commitments and pilot sites generated). */
export const COLLABORATION_SOURCE = 'LAN / Kopdes Merah Putih Task Force secretariat';
