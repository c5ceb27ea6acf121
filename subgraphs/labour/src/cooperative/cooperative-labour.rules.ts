import { ruleViolation } from '@kopdes/kit';

/**
 * Kemnaker workforce rules: each broken rule is a BAD_USER_INPUT error whose `rule` names it and
 * whose message says how to comply. The target is 20-25 employees per cooperative; 1,000 is a
 * ceiling no village cooperative plausibly reaches, so a figure above it is a typing error.
 */
export const WORKFORCE_LIMITS = { maxEmployees: 1000, maxHiresPerRecord: 500 } as const;

export function checkHireCount(count: number): void {
  if (!(Number.isInteger(count) && count >= 1 && count <= WORKFORCE_LIMITS.maxHiresPerRecord)) {
    throw ruleViolation('hire_count_range', `count is the number of people who started that day: 1 to ${WORKFORCE_LIMITS.maxHiresPerRecord}; got ${count}.`);
  }
}

/** `detail` says where a computed figure comes from, e.g. " (998 employed + 5 hired)". */
export function checkEmployees(employees: number, detail = ''): void {
  if (!(Number.isInteger(employees) && employees >= 0 && employees <= WORKFORCE_LIMITS.maxEmployees)) {
    throw ruleViolation(
      'employees_range',
      `A cooperative employs 0 to ${WORKFORCE_LIMITS.maxEmployees.toLocaleString('en')} people; got ${employees}${detail}. Check the figure, or report the current headcount with setWorkforce.`,
    );
  }
}

export function checkProgramme(programme: string): string {
  const name = programme.trim();
  if (!name) throw ruleViolation('programme_required', 'programme must name the training programme, e.g. "Tata kelola koperasi".');
  return name;
}

/** Employees from which a cooperative counts as meeting the programme's 20–25 per cooperative target. */
export const TARGET_EMPLOYEES = 20;
