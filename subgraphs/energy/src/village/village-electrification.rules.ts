import { ruleViolation } from '@kopdes/kit';
import type { RecordVillageElectrificationInput } from './village-electrification.input';
import { ElectricitySupply } from './village.type';

/** ESDM electrification rules: each broken rule names itself and says how to comply. */
export function checkElectrification(input: RecordVillageElectrificationInput): void {
  if (!(input.ratio >= 0 && input.ratio <= 1)) {
    throw ruleViolation('ratio_range', `ratio is the share of households with electricity, from 0 to 1; got ${input.ratio}.`);
  }
  if (!(input.supplyHoursPerDay >= 0 && input.supplyHoursPerDay <= 24)) {
    throw ruleViolation('supply_hours_range', `supplyHoursPerDay must be between 0 and 24; got ${input.supplyHoursPerDay}.`);
  }
  if (!input.electrified) {
    if (input.ratio !== 0 || input.supply !== ElectricitySupply.NONE || input.supplyHoursPerDay !== 0) {
      throw ruleViolation(
        'electrification_consistent',
        `A village without electricity has ratio 0, supply NONE and 0 supply hours; got ratio ${input.ratio}, supply ${input.supply}, ${input.supplyHoursPerDay} hours. Set electrified: true if it has a supply.`,
      );
    }
  } else if (input.supply === ElectricitySupply.NONE || input.ratio === 0 || input.supplyHoursPerDay === 0) {
    throw ruleViolation(
      'electrification_consistent',
      `An electrified village has a supply (PLN_GRID or OFF_GRID), a ratio above 0 and at least 1 hour a day; got supply ${input.supply}, ratio ${input.ratio}, ${input.supplyHoursPerDay} hours. Set electrified: false if it has none.`,
    );
  }
}
