/** jest globalTeardown: closes the server started by volc-secrets-local/jest/global-setup. */
import { forgetHandle, startedHandle } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const handle = startedHandle();
  forgetHandle();
  await handle?.close();
}
