/**
 * Shared pieces of the views: where an action's outcome is shown (next to the action), and the
 * context every view is given.
 */
import { ApiCallError, type ApiClient } from './api';
import { h, replace } from './dom';

export interface ViewContext {
  api: ApiClient;
  /** the region signed in with (the default for forms that need one) */
  region: string;
  /** the credential may call the local control API */
  control: boolean;
  go(hash: string): void;
}

/** `Code: Message (request id)`: the API's own words, as the SDKs report them. */
export function describeError(e: unknown): string {
  if (e instanceof ApiCallError) return `${e.code}: ${e.message}${e.requestId ? ` (request ${e.requestId})` : ''}`;
  return e instanceof Error ? e.message : String(e);
}

/** A status line placed next to an action: progress while it runs, then its result or error. */
export function statusLine(): HTMLElement {
  return h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
}

/**
 * Runs one action started from `trigger`: disables it and shows progress in `status` while it runs,
 * then the success text or the API error there. Returns whether it succeeded.
 */
export async function perform(trigger: HTMLButtonElement | null, status: HTMLElement, work: () => Promise<string | void>): Promise<boolean> {
  if (trigger) {
    trigger.disabled = true;
    trigger.setAttribute('aria-busy', 'true');
  }
  status.className = 'status working';
  status.setAttribute('role', 'status');
  replace(status, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Working…');
  try {
    const message = await work();
    status.className = 'status ok';
    replace(status, message ?? '');
    return true;
  } catch (e) {
    status.className = 'status error';
    status.setAttribute('role', 'alert');
    replace(status, describeError(e));
    return false;
  } finally {
    if (trigger) {
      trigger.disabled = false;
      trigger.removeAttribute('aria-busy');
    }
  }
}

/** A titled section of a view. */
export function panel(title: string, ...children: Array<Node | null>): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}

/** A form whose submit runs `work` with its own status line (Enter submits; the button shows progress). */
export function actionForm(label: string, fields: Node[], work: (form: HTMLFormElement) => Promise<string | void>, extraClass = ''): HTMLFormElement {
  const status = statusLine();
  const button = h('button', { type: 'submit' }, label);
  const form = h('form', { class: `action-form ${extraClass}`.trim(), novalidate: true }, ...fields, h('div', { class: 'actions' }, button), status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void perform(button, status, () => work(form));
  });
  return form;
}

/** The value of a named control of a form, trimmed. */
export function valueOf(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
  return el ? el.value.trim() : '';
}
