/**
 * `npm run bench`: throughput and latency of signed Actions beside bare node:http and express,
 * start-up times, reads against 100 / 10,000 / 100,000 stored secrets, and the same server on
 * PostgreSQL (one and two instances on one database; --pg URL). Prints one table and
 * writes the figures as JSON (scripts/bench-results.json). `npm run bench -- --help` for options.
 */
import fs from 'node:fs';
import { HELP, Scratch, parseOptions } from './bench/context';
import { render, summarise } from './bench/report';
import { measurePostgres, type PostgresSamples } from './bench/postgres';
import { measureScale, type ScaleSamples } from './bench/scale';
import { profileServer, renderProfile } from './bench/profile';
import { measureStartup, type StartupSamples } from './bench/startup';
import { measureThroughput, type ActionSamples } from './bench/throughput';

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const log = (line: string) => process.stderr.write(line + '\n');
  const scratch = new Scratch();
  if (options.profile) {
    try {
      log('profile…');
      process.stdout.write('\n' + renderProfile(await profileServer(options, scratch, log)) + '\n');
      return 0;
    } finally {
      scratch.remove();
    }
  }
  const samples: { throughput?: ActionSamples[]; startup?: StartupSamples; scale?: ScaleSamples[]; postgres?: PostgresSamples } = {};
  const stopAll = () => {
    scratch.remove();
    process.exit(130);
  };
  process.once('SIGINT', stopAll);
  try {
    if (options.sections.includes('throughput')) {
      log('throughput…');
      samples.throughput = await measureThroughput(options, scratch, log);
    }
    if (options.sections.includes('startup')) {
      log('start-up…');
      samples.startup = await measureStartup(options, scratch, log);
    }
    if (options.sections.includes('scale')) {
      log('scale…');
      samples.scale = await measureScale(options, scratch, log);
    }
    if (options.sections.includes('postgres')) {
      log('postgres…');
      samples.postgres = await measurePostgres(options, scratch, log);
    }
  } finally {
    process.off('SIGINT', stopAll);
    scratch.remove();
  }
  const summary = summarise(options, samples);
  fs.writeFileSync(options.output, JSON.stringify(summary, null, 2) + '\n');
  process.stdout.write('\n' + render(summary) + '\n\nJSON: ' + options.output + '\n');
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
