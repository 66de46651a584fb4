/**
 * Requests that Node's HTTP parser refuses, or that its timers give up on, never reach express: they
 * still get an envelope (not a bare status line), a log line and an audit entry.
 */
import type http from 'node:http';
import type { AuditLog } from '../audit/audit-log';
import { answerClientError } from '../http/client-errors';
import { newRequestId } from '../http/envelope';
import type { Logger } from '../logger';

export function answerClientErrors(server: http.Server, deps: { requestTimeoutMs: number; audit: AuditLog; logger: Logger }): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const requestId = newRequestId();
    const answered = answerClientError(err, socket, { requestTimeoutMs: deps.requestTimeoutMs, requestId });
    if (!answered) return;
    deps.logger.info('request', { method: null, action: null, status: answered.status, errorCode: answered.code });
    // refused before anything was parsed: who and what are unknown
    deps.audit.record({
      requestId,
      method: '',
      action: null,
      version: null,
      accessKeyId: null,
      accountId: null,
      region: null,
      secretName: null,
      status: answered.status,
      errorCode: answered.code,
      durationMs: 0,
    });
  });
}
