import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { checkNotInFuture, IDEMPOTENCY_KEY, idempotentWrite, normalizeRegionCode, parseDate, ruleViolation, type SubgraphContext } from '@kopdes/kit';
import { type DigitalDb, type Tx } from '../db';
import type { DigitalLoaders } from '../loaders';
import { RecordConnectivitySurveyInput } from './village-connectivity.input';
import { checkDownloadSpeed, checkSurveyOrder } from './village-connectivity.rules';
import { Village } from './village.type';

type Context = SubgraphContext<DigitalDb, DigitalLoaders>;

/**
 * Komdigi knows a village it has surveyed or whose cooperative it onboards; returns the
 * village's latest survey (null when never surveyed).
 */
async function knownVillage(tx: Tx, code: string) {
  const latest = await tx.connectivitySurvey.findFirst({ where: { villageCode: code }, orderBy: { surveyedOn: 'desc' } });
  if (latest) return latest;
  if (await tx.platformOnboarding.findFirst({ where: { villageCode: code }, select: { villageCode: true } })) return null;
  throw ruleViolation('unknown_village', `Komdigi has no record of village ${code}; check the Kemendagri code (e.g. "35.14.01.2001").`);
}

/** Komdigi's connectivity surveys: validated, idempotent, audited, all-or-nothing. */
@Resolver(() => Village)
export class VillageConnectivityMutationResolver {
  @Mutation(() => Village, {
    description: "Records a connectivity survey of a village; it becomes the village's connectivity. A second survey on the same day replaces the first.",
  })
  recordConnectivitySurvey(
    @Arg('input', () => RecordConnectivitySurveyInput) input: RecordConnectivitySurveyInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Village> {
    return idempotentWrite(
      context,
      { operation: 'recordConnectivitySurvey', entity: 'VillageConnectivity', idempotencyKey, input },
      async (tx) => {
        const code = normalizeRegionCode(input.villageCode, 'villageCode', 'VILLAGE');
        const before = await knownVillage(tx, code);
        const surveyedOn = parseDate(input.surveyedOn, 'surveyedOn');
        checkNotInFuture(surveyedOn, 'surveyedOn');
        checkSurveyOrder(code, surveyedOn, before?.surveyedOn ?? null);
        checkDownloadSpeed(input);
        const [p, r, d] = code.split('.');
        const survey = { signal: input.signal, fiber: input.fiber, downloadMbps: input.downloadMbps ?? null };
        const after = await tx.connectivitySurvey.upsert({
          where: { villageCode_surveyedOn: { villageCode: code, surveyedOn } },
          create: { villageCode: code, surveyedOn, districtCode: `${p}.${r}.${d}`, regencyCode: `${p}.${r}`, provinceCode: p!, ...survey },
          update: survey,
        });
        return { entityId: code, before, after };
      },
      async (_tx, code) => ({ code }),
    ) as Promise<Village>;
  }
}
