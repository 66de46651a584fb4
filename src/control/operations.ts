/**
 * The control API's operation table: method + path under /_local → name, accepted parameters and
 * a thin handler over LocalControl. The name is answered as ResponseMetadata.Action.
 */
import type { AuditEntry } from '../audit/audit-entry';
import { MAX_AUDIT_LIMIT } from '../audit/audit-entry';
import { LATEST_TIME_MS, representable } from '../domain/clock';
import { FaultRuleError, type FaultRuleInput } from '../faults/fault-rule';
import { MAX_DURATION_MS } from './duration';
import { apiError, invalidParameter, isErrorCode } from '../error-catalogue';
import type { ControlParams } from './control-params';
import type { LocalControl } from './local-control';

export type ControlMethod = 'GET' | 'POST' | 'DELETE';

export interface ControlOperation {
  method: ControlMethod;
  /** path below /_local; `:name` segments are path parameters */
  path: string;
  name: string;
  params: readonly string[];
  handle(control: LocalControl, params: ControlParams, path: Readonly<Record<string, string>>): Promise<object> | object;
}

const AUDIT_PARAMS = ['from', 'to', 'action', 'secretName', 'accessKeyId', 'accountId', 'requestId', 'outcome', 'limit', 'order'] as const;
const FAULT_PARAMS = ['action', 'secretName', 'error', 'count', 'probability', 'delayMs', 'seed'] as const;

function presentAuditEntry(e: AuditEntry) {
  return { ...e, time: new Date(representable(e.at)).toISOString() };
}

function readOutcome(p: ControlParams): string | undefined {
  const outcome = p.string('outcome');
  if (outcome === undefined || outcome === 'success' || outcome === 'error' || isErrorCode(outcome)) return outcome;
  throw invalidParameter('outcome', 'outcome must be success, error, or an error Code such as SignatureDoesNotMatch.');
}

function readFaultRule(p: ControlParams): FaultRuleInput {
  const rule: Record<string, string | number> = {};
  for (const field of ['action', 'secretName', 'error'] as const) {
    const v = p.string(field);
    if (v !== undefined) rule[field] = v;
  }
  for (const field of ['count', 'probability', 'delayMs', 'seed'] as const) {
    const v = p.number(field);
    if (v !== undefined) rule[field] = v;
  }
  return rule as unknown as FaultRuleInput;
}

function addFault(control: LocalControl, p: ControlParams) {
  try {
    return { rule: control.faults.add(readFaultRule(p)) };
  } catch (e) {
    if (!(e instanceof FaultRuleError)) throw e;
    if (e.problem === 'missing') throw apiError('MissingParameter', e.field);
    throw invalidParameter(e.field, `${e.field} ${e.detail}.`);
  }
}

export const CONTROL_OPERATIONS: readonly ControlOperation[] = [
  { method: 'POST', path: '/reset', name: 'Reset', params: [], handle: (c) => c.reset() },
  { method: 'GET', path: '/clock', name: 'GetClock', params: [], handle: (c) => c.clock() },
  {
    method: 'POST',
    path: '/clock/advance',
    name: 'AdvanceClock',
    params: ['by', 'ms'],
    handle: (c, p) => {
      if (p.has('by') && p.has('ms')) throw invalidParameter('ms', 'Give either by or ms, not both.');
      const name = p.has('ms') ? 'ms' : 'by';
      const ms = p.has('ms') ? p.integer('ms', 0, MAX_DURATION_MS) : p.duration('by');
      if (ms === undefined) throw apiError('MissingParameter', 'by');
      // the clock never passes 9999-12-31: every time derived from it must stay representable
      if (c.clock().now + ms > LATEST_TIME_MS) {
        throw invalidParameter(name, `${name} would move the clock past 9999-12-31T23:59:59.999Z, the latest time this server represents.`);
      }
      return c.advanceClock(ms);
    },
  },
  { method: 'POST', path: '/sweep', name: 'Sweep', params: [], handle: (c) => c.sweep() },
  { method: 'GET', path: '/snapshots', name: 'ListSnapshots', params: [], handle: (c) => ({ snapshots: c.snapshots() }) },
  { method: 'POST', path: '/snapshots', name: 'CreateSnapshot', params: ['name'], handle: (c, p) => c.snapshot(p.string('name')) },
  { method: 'POST', path: '/snapshots/:name/restore', name: 'RestoreSnapshot', params: [], handle: (c, _p, path) => c.restore(path.name) },
  {
    method: 'DELETE',
    path: '/snapshots/:name',
    name: 'DeleteSnapshot',
    params: [],
    handle: (c, _p, path) => {
      if (!c.deleteSnapshot(path.name)) throw apiError('Not Found', 'snapshot', path.name);
      return { name: path.name, deleted: true };
    },
  },
  {
    method: 'GET',
    path: '/audit',
    name: 'QueryAudit',
    params: AUDIT_PARAMS,
    handle: async (c, p) => {
      const entries = await c.audit.query({
        from: p.time('from'),
        to: p.time('to'),
        action: p.string('action'),
        secretName: p.string('secretName'),
        accessKeyId: p.string('accessKeyId'),
        accountId: p.string('accountId'),
        requestId: p.string('requestId'),
        outcome: readOutcome(p),
        limit: p.integer('limit', 1, MAX_AUDIT_LIMIT),
        order: p.choice('order', ['newest', 'oldest'] as const),
      });
      return { entries: entries.map(presentAuditEntry), count: entries.length };
    },
  },
  { method: 'GET', path: '/faults', name: 'ListFaults', params: [], handle: (c) => ({ rules: c.faults.list() }) },
  { method: 'POST', path: '/faults', name: 'AddFault', params: FAULT_PARAMS, handle: addFault },
  { method: 'DELETE', path: '/faults', name: 'ClearFaults', params: [], handle: (c) => ({ removed: c.faults.clear() }) },
  {
    method: 'DELETE',
    path: '/faults/:id',
    name: 'RemoveFault',
    params: [],
    handle: (c, _p, path) => {
      if (!c.faults.remove(path.id)) throw apiError('Not Found', 'fault rule', path.id);
      return { id: path.id, removed: true };
    },
  },
];

interface CompiledOperation {
  operation: ControlOperation;
  pattern: RegExp;
  names: string[];
}

const COMPILED: CompiledOperation[] = CONTROL_OPERATIONS.map((operation) => {
  const names: string[] = [];
  const source = operation.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { operation, pattern: new RegExp(`^${source}/?$`), names };
});

/** The operation for a method and a path below /_local, with its path parameters; null when none. */
export function findOperation(method: string, path: string): { operation: ControlOperation; path: Record<string, string> } | null {
  for (const { operation, pattern, names } of COMPILED) {
    if (operation.method !== method) continue;
    const m = pattern.exec(path);
    if (!m) continue;
    const values: Record<string, string> = {};
    try {
      names.forEach((n, i) => (values[n] = decodeURIComponent(m[i + 1])));
    } catch {
      return null;
    }
    return { operation, path: values };
  }
  return null;
}
