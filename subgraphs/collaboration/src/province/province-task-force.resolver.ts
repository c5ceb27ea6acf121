import { Arg, Ctx, Directive, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import { badInput, ListSize, parseDate } from '@kopdes/kit';
import type { Context } from '../loaders';
import { Agency } from '../agency/agency.type';
import { readIndicator, requiredSelection, withheldReason, type ProvinceFigures } from '../indicator/indicator';
import { Indicator } from '../indicator/indicator.type';
import { CommitmentProgress, CommitmentStatus, toCommitment } from '../commitment/commitment.type';
import { decimalHundredths, readingHundredths } from '../commitment/quantity';
import { evaluateCommitment, parseQuarter, utcDay } from '../commitment/status';
import { COLLABORATION_SOURCE } from '../source';
import { taskForceRegionOf } from '../task-force-region/task-force-regions';
import { AgencyProgress, CooperativeKind, DevelopmentAggregate, Province, ProvinceTaskForce, RegistryAggregate } from './province.type';

/** What the gateway sends for a Province: its key and, for taskForce, every required figure. */
type ProvinceRepresentation = { code: string } & ProvinceFigures;

const QUARTER = {
  nullable: true,
  description: 'Only commitments due in this calendar quarter: "2026-Q2", or "current" for the quarter of evaluatedOn.',
} as const;

function inQuarter(items: CommitmentProgress[], quarter: string | undefined, evaluatedOn: Date): CommitmentProgress[] {
  if (quarter === undefined || quarter === null) return items;
  const range = parseQuarter(quarter, evaluatedOn);
  if (!range) throw badInput(`quarter "${quarter}" is not a quarter; write "2026-Q2" or "current".`, { argument: 'quarter' });
  return items.filter((c) => c.dueDate >= range.from && c.dueDate <= range.to);
}

@Resolver(() => Province)
export class ProvinceTaskForceResolver {
  // Declared only so taskForce can require them, with the owners' arguments; Kemenkop (cooperatives)
  // and Kemendes PDT (villages) resolve them, and taskForce reads the defaults (all kinds, latest year).
  @Directive('@external')
  @FieldResolver(() => RegistryAggregate, { nullable: true })
  registry(@Root() province: ProvinceRepresentation, @Arg('kind', () => CooperativeKind, { nullable: true }) _kind: CooperativeKind | undefined): unknown {
    return province.registry;
  }

  @Directive('@external')
  @FieldResolver(() => DevelopmentAggregate, { nullable: true })
  development(@Root() province: ProvinceRepresentation, @Arg('year', () => Int, { nullable: true }) _year: number | undefined): unknown {
    return province.development;
  }

  @Directive(`@requires(fields: "${requiredSelection()}")`)
  @FieldResolver(() => ProvinceTaskForce, {
    nullable: true,
    description:
      "Task Force commitments in this province with their realisation (LAN). Realisation is read from the owning ministries' figures for this " +
      'province — registry (Kemenkop), financing (Kemenkeu), energy (ESDM), digital (Komdigi), labour (Kemnaker), development (Kemendes PDT) — which the ' +
      'gateway fetches from their subgraphs and hands to this one: computed through the graph, never typed in. Null when one of those subgraphs ' +
      "did not answer (the response's errors name it); Query.commitments still lists the commitments then, without realisation.",
  })
  async taskForce(
    @Root() province: ProvinceRepresentation,
    @Arg('on', () => String, { nullable: true, description: 'Evaluate statuses on this day, YYYY-MM-DD; today (UTC) when omitted.' }) on: string | undefined,
    @Ctx() { loaders }: Context,
  ): Promise<ProvinceTaskForce> {
    const evaluatedOn = on ? parseDate(on, 'on') : utcDay(new Date());
    const rows = await loaders.commitmentsOfProvince.load(province.code);
    const items = rows.map((row): CommitmentProgress => {
      const reading = readIndicator(province, row.indicator);
      const realised = reading === null ? null : readingHundredths(reading.value);
      const evaluation = evaluateCommitment({
        target: decimalHundredths(row.target),
        baseline: decimalHundredths(row.baseline),
        realised,
        startDate: row.startDate,
        dueDate: row.dueDate,
        on: evaluatedOn,
      });
      return {
        ...toCommitment(row),
        realised: reading?.value ?? null,
        realisedAsOf: reading?.asOf ?? null,
        withheld: reading ? null : withheldReason(province, row.indicator),
        progress: evaluation.progress,
        expectedProgress: evaluation.expectedProgress,
        status: evaluation.status as CommitmentStatus | null,
      };
    });
    return { provinceCode: province.code, region: taskForceRegionOf(province.code), evaluatedOn, source: COLLABORATION_SOURCE, items };
  }
}

@Resolver(() => ProvinceTaskForce)
export class ProvinceTaskForceFieldsResolver {
  @ListSize(10)
  @FieldResolver(() => [CommitmentProgress], { description: "The province's commitments with realisation and status, by due date." })
  commitments(
    @Root() view: ProvinceTaskForce,
    @Arg('quarter', () => String, QUARTER) quarter: string | undefined,
    @Arg('agency', () => ID, { nullable: true, description: 'Agency code, e.g. "ESDM".' }) agency: string | undefined,
    @Arg('indicator', () => Indicator, { nullable: true }) indicator: Indicator | undefined,
    @Arg('status', () => [CommitmentStatus], { nullable: true, description: 'Keep only these statuses.' }) statuses: CommitmentStatus[] | undefined,
  ): CommitmentProgress[] {
    const code = agency?.trim().toUpperCase();
    return inQuarter(view.items, quarter, view.evaluatedOn).filter(
      (c) => (!code || c.agencyCode === code) && (!indicator || c.indicator === indicator) && (!statuses || (c.status !== null && statuses.includes(c.status))),
    );
  }

  @ListSize(10)
  @FieldResolver(() => [AgencyProgress], { description: "Each agency's commitments in the province counted by status, agencies by code." })
  byAgency(@Root() view: ProvinceTaskForce, @Arg('quarter', () => String, QUARTER) quarter: string | undefined): AgencyProgress[] {
    const groups = new Map<string, CommitmentProgress[]>();
    for (const c of inQuarter(view.items, quarter, view.evaluatedOn)) groups.set(c.agencyCode, [...(groups.get(c.agencyCode) ?? []), c]);
    return [...groups]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([agencyCode, items]) => {
        const count = (status: CommitmentStatus) => items.filter((c) => c.status === status).length;
        const measured = items.filter((c) => c.progress !== null);
        return {
          agencyCode,
          commitments: items.length,
          done: count(CommitmentStatus.DONE),
          onTrack: count(CommitmentStatus.ON_TRACK),
          atRisk: count(CommitmentStatus.AT_RISK),
          late: count(CommitmentStatus.LATE),
          unavailable: items.length - measured.length,
          averageProgress: measured.length === 0 ? null : Math.round((measured.reduce((s, c) => s + c.progress!, 0) / measured.length) * 10_000) / 10_000,
        };
      });
  }
}

@Resolver(() => AgencyProgress)
export class AgencyProgressResolver {
  @FieldResolver(() => Agency)
  async agency(@Root() progress: AgencyProgress, @Ctx() { loaders }: Context): Promise<Agency> {
    const agency = await loaders.agency.load(progress.agencyCode);
    if (!agency) throw new Error(`Unknown agency ${progress.agencyCode}`);
    return agency;
  }
}
