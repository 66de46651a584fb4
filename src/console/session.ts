/**
 * The signed-in credential lives in sessionStorage only (gone when the tab closes; never in a
 * cookie, a URL or localStorage), so it is sent nowhere but into the page's own signer.
 */
import type { Credentials } from './api';

const KEY = 'volc-secrets-console.credentials';

export function loadCredentials(): Credentials | null {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<Credentials> | null;
    if (parsed && typeof parsed.accessKeyId === 'string' && typeof parsed.secretAccessKey === 'string' && typeof parsed.region === 'string') {
      return { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey, region: parsed.region };
    }
  } catch {
    /* unreadable: sign in again */
  }
  return null;
}

export function saveCredentials(c: Credentials): void {
  sessionStorage.setItem(KEY, JSON.stringify(c));
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(KEY);
}
