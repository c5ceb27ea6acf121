import { Query, Resolver } from 'type-graphql';
import { INDICATORS, INDICATOR_LIST, NAMESPACES } from './indicator';
import { ListSize } from '@kopdes/kit';
import { IndicatorInfo, type IndicatorUnit } from './indicator.type';

@Resolver(() => IndicatorInfo)
export class IndicatorResolver {
  @ListSize(10)
  @Query(() => [IndicatorInfo], { description: 'Every indicator a commitment can measure, with the Province field its realisation is read from.' })
  indicators(): IndicatorInfo[] {
    return INDICATOR_LIST.map((indicator) => {
      const spec = INDICATORS[indicator];
      return {
        indicator,
        unit: spec.unit as IndicatorUnit,
        subgraph: NAMESPACES[spec.namespace].subgraph,
        field: `Province.${spec.namespace}.${spec.field}`,
        description: spec.description,
      };
    });
  }
}
