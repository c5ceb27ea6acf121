import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Rupiah, SuppressionReason } from '@kopdes/kit';
import { TaskForceRegion } from '../task-force-region/task-force-region.type';
import type { CommitmentProgress } from '../commitment/commitment.type';

/*
 * The ministries' Province aggregates, declared only as far as Province.taskForce requires them.
 * Every field is @external: the owning subgraph resolves it, the gateway fetches it and sends it
 * along with the Province representation. No descriptions: the owners' win in composition.
 * The namespace fields on Province are nullable like the owners' (null when the owner is down).
 */
@ObjectType()
export class Provenance {
  @Directive('@external') @Field(() => Date) asOf!: Date;
}

// The owners' disclosure-control list, as far as taskForce reads it (which figure, and why).
@ObjectType()
export class SuppressedFigure {
  @Directive('@external') @Field(() => String) field!: string;
  @Directive('@external') @Field(() => SuppressionReason) reason!: SuppressionReason;
}

@ObjectType()
export class RegistryAggregate {
  @Directive('@external') @Field(() => Int, { nullable: true }) legalEntities!: number | null;
  @Directive('@external') @Field(() => Int, { nullable: true }) loanReady!: number | null;
  @Directive('@external') @Field(() => Int, { nullable: true }) operating!: number | null;
  @Directive('@external') @Field(() => Int, { nullable: true }) members!: number | null;
  @Directive('@external') @Field(() => Provenance) provenance!: Provenance;
  @Directive('@external') @Field(() => [SuppressedFigure]) suppressed!: SuppressedFigure[];
}

@ObjectType()
export class FinancingAggregate {
  @Directive('@external') @Field(() => Int, { nullable: true }) cooperativesFinanced!: number | null;
  @Directive('@external') @Field(() => Rupiah, { nullable: true }) amountDisbursed!: bigint | null;
  @Directive('@external') @Field(() => Date) asOf!: Date;
  @Directive('@external') @Field(() => [SuppressedFigure]) suppressed!: SuppressedFigure[];
}

@ObjectType()
export class EnergyAggregate {
  @Directive('@external') @Field(() => Float, { nullable: true }) kwpCommissioned!: number | null;
  @Directive('@external') @Field(() => Float, { nullable: true }) kwpOperating!: number | null;
  @Directive('@external') @Field(() => Date) asOf!: Date;
  @Directive('@external') @Field(() => [SuppressedFigure]) suppressed!: SuppressedFigure[];
}

@ObjectType()
export class DigitalAggregate {
  @Directive('@external') @Field(() => Int, { nullable: true }) onboardedCooperatives!: number | null;
  @Directive('@external') @Field(() => Int, { nullable: true }) fiberVillages!: number | null;
  @Directive('@external') @Field(() => Int, { nullable: true }) digitalPaymentCooperatives!: number | null;
  @Directive('@external') @Field(() => Date) asOf!: Date;
  @Directive('@external') @Field(() => [SuppressedFigure]) suppressed!: SuppressedFigure[];
}

@ObjectType()
export class LabourAggregate {
  @Directive('@external') @Field(() => Int, { nullable: true }) employees!: number | null;
  @Directive('@external') @Field(() => Int, { nullable: true }) trainedBoardMembers!: number | null;
  @Directive('@external') @Field(() => Int, { nullable: true }) certifiedStaff!: number | null;
  @Directive('@external') @Field(() => Date) asOf!: Date;
  @Directive('@external') @Field(() => [SuppressedFigure]) suppressed!: SuppressedFigure[];
}

@ObjectType()
export class DevelopmentAggregate {
  @Directive('@external') @Field(() => Int, { nullable: true }) mandiri!: number | null;
  @Directive('@external') @Field(() => Date) asOf!: Date;
  @Directive('@external') @Field(() => [SuppressedFigure]) suppressed!: SuppressedFigure[];
}

// Argument type of the cooperatives subgraph's Province.registry(kind), redeclared because that field is.
export enum CooperativeKind {
  KDMP = 'KDMP',
  KKMP = 'KKMP',
}
registerEnumType(CooperativeKind, { name: 'CooperativeKind' });

// Owned by the regions subgraph. External fields that take arguments, `registry(kind)` and
// `development(year)`, are declared in ProvinceTaskForceResolver with the owners' arguments.
@ObjectType()
@Directive('@key(fields: "code")')
export class Province {
  @Field(() => ID) code!: string;
  @Directive('@external') @Field(() => FinancingAggregate, { nullable: true }) financing!: FinancingAggregate | null;
  @Directive('@external') @Field(() => EnergyAggregate, { nullable: true }) energy!: EnergyAggregate | null;
  @Directive('@external') @Field(() => DigitalAggregate, { nullable: true }) digital!: DigitalAggregate | null;
  @Directive('@external') @Field(() => LabourAggregate, { nullable: true }) labour!: LabourAggregate | null;
}

@ObjectType({
  description:
    "The Task Force view of a province (LAN): its region and each agency's commitments with their realisation, read from the owning " +
    "ministries' figures for this province that the gateway fetched (Federation @requires), evaluated on evaluatedOn.",
})
export class ProvinceTaskForce {
  @Field(() => TaskForceRegion, { nullable: true, description: 'The Task Force region the province belongs to.' }) region!: TaskForceRegion | null;
  @Field(() => Date, { description: 'The day the commitments were evaluated on (today, UTC, unless `on` was given).' }) evaluatedOn!: Date;
  @Field(() => String, { description: "Where the commitments come from; each realisation's own source is its ministry's slice on Province." }) source!: string;
  provinceCode!: string;
  items!: CommitmentProgress[];
}

@ObjectType({ description: "One agency's commitments in a province, counted by status." })
export class AgencyProgress {
  agencyCode!: string;
  @Field(() => Int) commitments!: number;
  @Field(() => Int) done!: number;
  @Field(() => Int) onTrack!: number;
  @Field(() => Int) atRisk!: number;
  @Field(() => Int) late!: number;
  @Field(() => Int, {
    description:
      'Commitments whose realisation could not be read: the owning subgraph did not answer, or withholds the figure from the caller (CommitmentProgress.withheld).',
  })
  unavailable!: number;
  @Field(() => Float, { nullable: true, description: 'Mean progress (0..1) of the commitments with a realisation; null when none has one.' }) averageProgress!:
    number | null;
}
