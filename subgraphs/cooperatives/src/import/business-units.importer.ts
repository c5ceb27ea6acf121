import { ruleErrors, ruleViolation, type EntityWrite, type Importer, type ImportIssue, type SqlExecutor } from '@kopdes/kit';
import { BUSINESS_UNIT_TYPES, UNIT_STATUSES, type BusinessUnitType, type UnitStatus } from '@kopdes/kit/synthetic';
import { checkUnitForward } from '../cooperative/cooperative.rules';

export interface BusinessUnitRow {
  cooperativeId: string;
  type: BusinessUnitType;
  status: UnitStatus;
}

type Unit = { type: string; status: string };

/**
 * Business units and their status, as `setBusinessUnit` records them, keyed by cooperative
 * id and unit type: a unit is added, or moves forward (never back).
 */
export const businessUnitsImporter: Importer<BusinessUnitRow> = {
  description:
    'Business units of registered cooperatives and their status (as the setBusinessUnit mutation): ' +
    'a new unit is added, an existing one only moves forward.',
  entity: 'Cooperative',
  columns: [
    { name: 'cooperativeId', required: true, description: 'Registry id, e.g. KDMP-35.14.09.2019.' },
    { name: 'type', required: true, description: `Unit type: ${BUSINESS_UNIT_TYPES.join(', ')}. With cooperativeId, the natural key.` },
    { name: 'status', required: true, description: `${UNIT_STATUSES.join(' → ')}.` },
  ],

  parse(v) {
    const errors = ruleErrors(
      () => {
        if (!(BUSINESS_UNIT_TYPES as readonly string[]).includes(v.type!))
          throw ruleViolation('unit_type_known', `type "${v.type}" is not a business unit type; expected one of ${BUSINESS_UNIT_TYPES.join(', ')}.`);
      },
      () => {
        if (!(UNIT_STATUSES as readonly string[]).includes(v.status!))
          throw ruleViolation('unit_status_known', `status "${v.status}" is not a unit status; expected one of ${UNIT_STATUSES.join(', ')}.`);
      },
    );
    if (errors.length > 0) return { errors };
    return { record: { cooperativeId: v.cooperativeId!, type: v.type as BusinessUnitType, status: v.status as UnitStatus } };
  },

  naturalKey: (row) => `${row.cooperativeId} ${row.type}`,
  entityId: (row) => row.cooperativeId,

  async plan(db, rows, { lock }) {
    // units as text: JSON.parse here is faster than the driver's jsonb conversion.
    const stored = new Map(
      (
        await db.query<{ id: string; units: string }>(`SELECT id, units::text AS units FROM "Cooperative" WHERE id = ANY($1)${lock ? ' FOR UPDATE' : ''}`, [
          [...new Set(rows.map((r) => r.record.cooperativeId))],
        ])
      ).map((c) => [c.id, JSON.parse(c.units) as Unit[]]),
    );
    const issues: ImportIssue[] = [];
    // Per cooperative: the full unit list to write, and the units this file touches (the audit's before/after).
    const writes = new Map<string, { entityId: string; lines: number[]; units: Unit[]; before: Unit[]; after: Unit[] }>();
    let unchanged = 0;
    for (const { line, record } of rows) {
      const before = stored.get(record.cooperativeId);
      if (!before) {
        issues.push({ line, reason: `No cooperative has id ${record.cooperativeId}.` });
        continue;
      }
      const pending = writes.get(record.cooperativeId);
      const units = pending?.units ?? before;
      const current = units.find((u) => u.type === record.type);
      const errors = ruleErrors(() => checkUnitForward(current?.status as UnitStatus | undefined, record.status));
      if (errors.length > 0) {
        issues.push({ line, reason: errors.join(' ') });
        continue;
      }
      if (current?.status === record.status) {
        unchanged++;
        continue;
      }
      const unit = { type: record.type, status: record.status };
      const next = current ? units.map((u) => (u.type === record.type ? unit : u)) : [...units, unit];
      const entry = pending ?? { entityId: record.cooperativeId, lines: [], units: next, before: [], after: [] };
      entry.units = next;
      entry.lines.push(line);
      if (current) entry.before.push(current);
      entry.after.push(unit);
      writes.set(record.cooperativeId, entry);
    }
    return {
      issues,
      unchanged,
      writes: [...writes.values()].map((w): EntityWrite => ({
        entityId: w.entityId,
        lines: w.lines,
        before: { units: w.before },
        after: { units: w.after },
        data: w.units,
      })),
    };
  },

  async write(db: SqlExecutor, writes) {
    await db.query(
      `UPDATE "Cooperative" AS c SET units = v.units::jsonb, "updatedAt" = now()
         FROM unnest($1::text[], $2::text[]) AS v(id, units) WHERE c.id = v.id`,
      [writes.map((w) => w.entityId), writes.map((w) => JSON.stringify(w.data))],
    );
  },
};
