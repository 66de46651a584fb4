/**
 * The two baselines, run as their own process: `node baseline-server.js node|express BYTES`.
 * Both answer every request with the same JSON body of exactly BYTES bytes and do no other work:
 * `node` is the limit of this runtime (a prebuilt buffer written by node:http), `express` is the
 * floor of the framework the server is built on (a bare express 5 app answering with res.json).
 * Prints `baseline ready: http://127.0.0.1:PORT` once listening.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type BaselineKind = 'node' | 'express';

/** A Volcengine-shaped envelope padded to exactly `bytes` bytes (or the smallest envelope when bytes is smaller). */
export function paddedEnvelope(bytes: number): string {
  const envelope = (padding: string) =>
    JSON.stringify({
      ResponseMetadata: { RequestId: '20240101000000000000000000000000', Action: 'Baseline', Version: '2021-02-18', Service: 'kms', Region: 'cn-beijing' },
      Result: { Padding: padding },
    });
  const empty = envelope('');
  return envelope('x'.repeat(Math.max(0, bytes - Buffer.byteLength(empty))));
}

function nodeApp(body: string): http.RequestListener {
  const bytes = Buffer.from(body, 'utf8');
  const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(bytes.length) };
  return (_req, res) => {
    res.writeHead(200, headers);
    res.end(bytes);
  };
}

function expressApp(body: string): http.RequestListener {
  // required here, not at the top: the node:http baseline must not pay for loading express
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const express = require('express') as typeof import('express');
  const app = express();
  // the server under test turns these off too: they are settings, not work
  app.disable('x-powered-by');
  app.disable('etag');
  const document: unknown = JSON.parse(body);
  app.use((_req, res) => {
    res.json(document);
  });
  return app;
}

const LISTENERS: Record<BaselineKind, (body: string) => http.RequestListener> = { node: nodeApp, express: expressApp };

function main(): void {
  const [kind, bytesText] = process.argv.slice(2);
  const make = LISTENERS[kind as BaselineKind];
  const bytes = Number(bytesText ?? '20');
  if (!make || !Number.isInteger(bytes) || bytes < 0) {
    process.stderr.write('usage: baseline-server node|express BYTES\n');
    process.exit(2);
  }
  const server = http.createServer(make(paddedEnvelope(bytes)));
  server.keepAliveTimeout = 5000; // as the server under test
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`baseline ready: http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

if (require.main === module) main();
