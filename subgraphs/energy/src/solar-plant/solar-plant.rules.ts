import { isoDay, ruleViolation } from '@kopdes/kit';
import { SolarPlantStatus } from './solar-plant.type';

/**
 * ESDM plant rules: each broken rule is a BAD_USER_INPUT error whose `rule` names it and whose
 * message says how to comply.
 */
export const PLANT_LIMITS = {
  /** "One village, one megawatt": plans run 1-1.5 MWp; up to 2 MWp is accepted. */
  maxCapacityKwp: 2000,
  /** Battery storage at most this many kWh per kWp (the first unit: 400 kWp with 1 MWh). */
  maxStorageHoursAtPeak: 4,
} as const;

const ORDER = Object.values(SolarPlantStatus);

export function checkCapacity(capacityKwp: number): void {
  if (!(capacityKwp > 0 && capacityKwp <= PLANT_LIMITS.maxCapacityKwp)) {
    throw ruleViolation(
      'capacity_range',
      `capacityKwp must be more than 0 and at most ${PLANT_LIMITS.maxCapacityKwp.toLocaleString('en')} kWp ("one village, one megawatt"; up to 2 MW accepted); got ${capacityKwp}.`,
    );
  }
}

export function checkStorage(storageKwh: number, capacityKwp: number): void {
  const max = PLANT_LIMITS.maxStorageHoursAtPeak * capacityKwp;
  if (!(storageKwh >= 0 && storageKwh <= max)) {
    throw ruleViolation(
      'storage_range',
      `storageKwh must be between 0 (no battery) and ${PLANT_LIMITS.maxStorageHoursAtPeak} × capacityKwp (${max} kWh for ${capacityKwp} kWp); got ${storageKwh}.`,
    );
  }
}

export function reached(status: SolarPlantStatus, milestone: SolarPlantStatus): boolean {
  return ORDER.indexOf(status) >= ORDER.indexOf(milestone);
}

export function checkStatusForward(current: SolarPlantStatus, next: SolarPlantStatus): void {
  if (ORDER.indexOf(next) < ORDER.indexOf(current)) {
    throw ruleViolation('status_order', `A plant cannot go back from ${current} to ${next}; status only moves forward (${ORDER.join(' → ')}).`);
  }
}

/** From COMMISSIONED a plant has a commissioning date, on or after the plan date; before it, none. */
export function checkCommissioning(status: SolarPlantStatus, commissionedOn: Date | null, given: boolean, plannedOn: Date): void {
  if (!reached(status, SolarPlantStatus.COMMISSIONED)) {
    if (given)
      throw ruleViolation(
        'commissionedOn_only_when_commissioned',
        `A plant ${status} has not been commissioned; leave commissionedOn out until status COMMISSIONED.`,
      );
    return;
  }
  if (!commissionedOn) throw ruleViolation('commissionedOn_required', `Status ${status} needs commissionedOn (YYYY-MM-DD), the day the plant was handed over.`);
  if (commissionedOn < plannedOn) {
    throw ruleViolation(
      'dates_in_order',
      `commissionedOn ${isoDay(commissionedOn)} is before the plant was planned (${isoDay(plannedOn)}); commissioning follows the plan.`,
    );
  }
}
