import { ruleViolation } from '@kopdes/kit';
import type { SetPlatformOnboardingInput } from './cooperative-digital.input';

/** Komdigi onboarding rules: each broken rule is a BAD_USER_INPUT naming the rule and saying how to comply. */
export function checkOnboarding(input: SetPlatformOnboardingInput, onboardedOn: Date | null): void {
  const given = input.onboardedOn !== undefined && input.onboardedOn !== null;
  if (input.digitalPayments && !input.onboarded) {
    throw ruleViolation(
      'payments_need_onboarding',
      'Digital payments run through the platform: set onboarded: true (with onboardedOn) or digitalPayments: false.',
    );
  }
  if (!input.onboarded && given) {
    throw ruleViolation(
      'onboardedOn_only_when_onboarded',
      'A cooperative that is not onboarded has no onboarding date: leave onboardedOn out or set onboarded: true.',
    );
  }
  if (input.onboarded && !onboardedOn) {
    throw ruleViolation('onboardedOn_required', 'An onboarded cooperative needs onboardedOn (YYYY-MM-DD), the day its SIMKOPDES account opened.');
  }
}
