/** Shown with Task Force records: the agencies are real, the commitments and pilot sites generated. */
export const COLLABORATION_SOURCE = 'LAN / Kopdes Merah Putih Task Force secretariat (synthetic development data)';
