import { type EntityWrite, type Importer, type ImportIssue, parseDate, ruleErrors, ruleViolation, type SqlExecutor } from '@kopdes/kit';
import { LIFECYCLE_STAGES, type LifecycleStage } from '@kopdes/kit/synthetic';
import { checkIdentifierFormat, checkStageForward, checkStageIdentifiers } from '../cooperative/cooperative.rules';

const IDENTIFIERS = ['ahuDecreeNumber', 'nikKoperasi', 'nib', 'npwp'] as const;

export interface StageRow {
  cooperativeId: string;
  stage: LifecycleStage;
  ahuDecreeNumber?: string;
  ahuDecreeDate?: string;
  nikKoperasi?: string;
  nib?: string;
  npwp?: string;
}

interface Registry {
  stage: LifecycleStage;
  ahuDecreeNumber: string | null;
  ahuDecreeDate: string | null;
  nikKoperasi: string | null;
  nib: string | null;
  npwp: string | null;
}

const FIELDS = ['stage', 'ahuDecreeNumber', 'ahuDecreeDate', 'nikKoperasi', 'nib', 'npwp'] as const;

/**
 * Lifecycle stage and legal identifiers, as `advanceCooperativeStage` records them, keyed by
 * cooperative id: the same rules (cooperative.rules.ts), all of them reported per row.
 */
export const stagesImporter: Importer<StageRow> = {
  description:
    'Lifecycle stage and legal identifiers of registered cooperatives (as the advanceCooperativeStage mutation): ' +
    'the stage only moves forward, each stage needs the identifiers issued up to it, empty cells keep what is stored.',
  entity: 'Cooperative',
  columns: [
    { name: 'cooperativeId', required: true, description: 'Registry id, e.g. KDMP-35.14.09.2019 (the natural key).' },
    { name: 'stage', required: true, description: `Furthest stage reached: ${LIFECYCLE_STAGES.join(' → ')}.` },
    { name: 'ahuDecreeNumber', description: 'Needed from AHU_DECREE, e.g. AHU-0025573.AH.01.29.TAHUN 2025.' },
    { name: 'ahuDecreeDate', description: 'Date of the AHU decree, YYYY-MM-DD; not before the musdesus.' },
    { name: 'nikKoperasi', description: 'Needed from NIK_KOPERASI: 16 digits.' },
    { name: 'nib', description: 'Needed from NIB_ISSUED: 13 digits.' },
    { name: 'npwp', description: 'Needed from NPWP_ISSUED: 15 or 16 digits.' },
  ],

  parse(v) {
    const errors = ruleErrors(
      () => {
        if (!(LIFECYCLE_STAGES as readonly string[]).includes(v.stage!)) {
          throw ruleViolation('stage_known', `stage "${v.stage}" is not a lifecycle stage; expected one of ${LIFECYCLE_STAGES.join(', ')}.`);
        }
      },
      ...IDENTIFIERS.map((field) => () => checkIdentifierFormat(field, v[field])),
      () => v.ahuDecreeDate && parseDate(v.ahuDecreeDate, 'ahuDecreeDate'),
    );
    if (errors.length > 0) return { errors };
    return {
      record: {
        cooperativeId: v.cooperativeId!,
        stage: v.stage as LifecycleStage,
        ahuDecreeNumber: v.ahuDecreeNumber,
        ahuDecreeDate: v.ahuDecreeDate,
        nikKoperasi: v.nikKoperasi,
        nib: v.nib,
        npwp: v.npwp,
      },
    };
  },

  naturalKey: (row) => row.cooperativeId,

  async plan(db, rows, { lock }) {
    const stored = new Map(
      (
        await db.query<Registry & { id: string; musdesusDate: string }>(
          `SELECT id, stage::text AS stage, "ahuDecreeNumber", to_char("ahuDecreeDate", 'YYYY-MM-DD') AS "ahuDecreeDate",
              "nikKoperasi", nib, npwp, to_char("musdesusDate", 'YYYY-MM-DD') AS "musdesusDate"
         FROM "Cooperative" WHERE id = ANY($1)${lock ? ' FOR UPDATE' : ''}`,
          [rows.map((r) => r.record.cooperativeId)],
        )
      ).map((c) => [c.id, c]),
    );
    const issues: ImportIssue[] = [];
    const writes: EntityWrite[] = [];
    let unchanged = 0;
    for (const { line, record } of rows) {
      const current = stored.get(record.cooperativeId);
      if (!current) {
        issues.push({ line, reason: `No cooperative has id ${record.cooperativeId}.` });
        continue;
      }
      const before: Registry = {
        stage: current.stage,
        ahuDecreeNumber: current.ahuDecreeNumber,
        ahuDecreeDate: current.ahuDecreeDate,
        nikKoperasi: current.nikKoperasi,
        nib: current.nib,
        npwp: current.npwp,
      };
      const after: Registry = {
        stage: record.stage,
        ahuDecreeNumber: record.ahuDecreeNumber ?? before.ahuDecreeNumber,
        ahuDecreeDate: record.ahuDecreeDate ?? before.ahuDecreeDate,
        nikKoperasi: record.nikKoperasi ?? before.nikKoperasi,
        nib: record.nib ?? before.nib,
        npwp: record.npwp ?? before.npwp,
      };
      const errors = ruleErrors(
        () => checkStageForward(before.stage, after.stage),
        () => checkStageIdentifiers(after.stage, after),
        () => {
          if (after.ahuDecreeDate && after.ahuDecreeDate < current.musdesusDate) {
            throw ruleViolation(
              'dates_in_order',
              `ahuDecreeDate ${after.ahuDecreeDate} is before the musdesus (${current.musdesusDate}); the decree follows the meeting.`,
            );
          }
        },
      );
      if (errors.length > 0) issues.push({ line, reason: errors.join(' ') });
      else if (FIELDS.every((f) => before[f] === after[f])) unchanged++;
      else writes.push({ entityId: record.cooperativeId, lines: [line], before, after });
    }
    return { issues, writes, unchanged };
  },

  async write(db: SqlExecutor, writes) {
    const column = (field: keyof Registry) => writes.map((w) => (w.after as Registry)[field]);
    await db.query(
      `UPDATE "Cooperative" AS c
          SET stage = v.stage::"LifecycleStage", "ahuDecreeNumber" = v.ahu, "ahuDecreeDate" = v.ahu_date::date,
              "nikKoperasi" = v.nik, nib = v.nib, npwp = v.npwp, "updatedAt" = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS v(id, stage, ahu, ahu_date, nik, nib, npwp)
        WHERE c.id = v.id`,
      [
        writes.map((w) => w.entityId),
        column('stage'),
        column('ahuDecreeNumber'),
        column('ahuDecreeDate'),
        column('nikKoperasi'),
        column('nib'),
        column('npwp'),
      ],
    );
  },
};
