/**
 * The cloud answers a secret asked for in the wrong region with a bare 404, and so do we. Signing for
 * the wrong region is the commonest cause, so after such an answer the log says where the secret is.
 */
import type { Logger } from './logger';
import type { SecretLocations } from './store/secret-locations';

export interface AnsweredRequest {
  errorCode: string | null;
  secretName: string | null;
  accountId: string | null;
  region: string | null;
}

/** Returns the observer to call after each answer; it looks up other regions only after a secret's 404. */
export function regionMismatchHinter(locations: SecretLocations, logger: Logger): (r: AnsweredRequest) => void {
  return (r) => {
    if (r.errorCode !== 'Not Found' || !r.secretName || !r.accountId || !r.region || !logger.isEnabled('info')) return;
    const { secretName: name, accountId, region } = r;
    locations.regionsHolding(accountId, name).then(
      (regions) => {
        // present in the region asked for: the 404 was about a version, not the region
        if (regions.length === 0 || regions.includes(region)) return;
        logger.info(`no secret ${name} in account ${accountId} region ${region}; it exists in ${regions.join(', ')}`, {
          hint: 'region',
          secretName: name,
          accountId,
          region,
          regions,
        });
      },
      () => undefined, // a hint is not worth an error of its own
    );
  };
}
