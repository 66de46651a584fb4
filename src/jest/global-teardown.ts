/** jest globalTeardown: closes the servers started by volc-secrets-local/jest/global-setup. */
import { forgetHandle, startedHandles } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const handles = startedHandles();
  forgetHandle();
  await Promise.all(handles.map((h) => h.close()));
}
