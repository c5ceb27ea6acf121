import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { SuppressionReason } from '@kopdes/kit';
import type { Commitment as CommitmentRow } from '../generated/prisma/client';
import { Indicator } from '../indicator/indicator.type';
import { decimalHundredths, formatHundredths } from './quantity';

export enum CommitmentStatus {
  ON_TRACK = 'ON_TRACK',
  AT_RISK = 'AT_RISK',
  LATE = 'LATE',
  DONE = 'DONE',
}
registerEnumType(CommitmentStatus, {
  name: 'CommitmentStatus',
  description:
    'DONE: realised ≥ target (whatever the date). LATE: not done and the due date has passed (due dates are inclusive). ' +
    'AT_RISK: progress trails the share of time elapsed since startDate by more than 10 points. ON_TRACK: otherwise.',
});

/** What every view of a commitment shows; the agency, unit and label are resolved per type. Never a GraphQL type itself. */
@ObjectType('CommitmentFields')
export class CommitmentFields {
  @Field(() => ID, { description: 'Opaque id, e.g. "ESDM-35-2".' }) id!: string;
  @Field(() => Indicator) indicator!: Indicator;
  @Field(() => String, { description: 'The level of the indicator to reach by dueDate, an exact decimal in its unit (e.g. "500" kWp, "25000000000" rupiah).' })
  target!: string;
  @Field(() => String, { description: "The indicator's level when the commitment started, in its unit; progress counts from here." }) baseline!: string;
  @Field(() => Date) startDate!: Date;
  @Field(() => Date, { description: 'Last day to reach the target (inclusive).' }) dueDate!: Date;
  agencyCode!: string;
  provinceCode!: string;
}

@ObjectType({
  description:
    'What an agency committed to reach in a province by a date, as recorded by the Task Force secretariat. Carries no realisation: ' +
    "that is computed from the owning ministry's data and read through `province { taskForce { commitments { realised status } } }`.",
})
@Directive('@key(fields: "id")')
export class Commitment extends CommitmentFields {}

@ObjectType({
  description:
    "A commitment with its realisation, read from the owning ministry's published figures for the province (fetched by the gateway, " +
    'never typed in) and evaluated on ProvinceTaskForce.evaluatedOn.',
})
export class CommitmentProgress extends CommitmentFields {
  @Field(() => String, {
    nullable: true,
    description:
      "The indicator's level now, exactly as the owning ministry publishes it on Province to this caller; null when its subgraph did not answer, or when it withholds the figure (see withheld).",
  })
  realised!: string | null;
  @Field(() => SuppressionReason, {
    nullable: true,
    description:
      "Why realised is null for this caller: the owning ministry withholds the province's figure from the public by disclosure control (it covers too few cooperatives). Never estimated; analysts see it.",
  })
  withheld!: SuppressionReason | null;
  @Field(() => Date, { nullable: true, description: "When the owning ministry's figures were last updated." }) realisedAsOf!: Date | null;
  @Field(() => Float, { nullable: true, description: 'Share of the way from baseline to target reached, 0..1; null when realised is.' }) progress!:
    number | null;
  @Field(() => Float, { description: 'Share of the time from startDate to dueDate elapsed on the evaluation day, 0..1.' }) expectedProgress!: number;
  @Field(() => CommitmentStatus, { nullable: true, description: 'See CommitmentStatus; null when realised is.' }) status!: CommitmentStatus | null;
}

@ObjectType({ description: "A change of a commitment's target by the Task Force secretariat." })
export class CommitmentRevision {
  /** The row id: the access record names the revision whose author was read. */
  id!: number;
  @Field(() => String) previousTarget!: string;
  @Field(() => String) target!: string;
  @Field(() => String, { description: 'Why the target changed.' }) reason!: string;
  @Field(() => Date) revisedAt!: Date;
}

/** Database row → GraphQL object: decimals as exact strings. */
export function toCommitment(row: CommitmentRow): Commitment {
  return {
    id: row.id,
    agencyCode: row.agencyCode,
    provinceCode: row.provinceCode,
    indicator: row.indicator,
    target: formatHundredths(decimalHundredths(row.target)),
    baseline: formatHundredths(decimalHundredths(row.baseline)),
    startDate: row.startDate,
    dueDate: row.dueDate,
  };
}
