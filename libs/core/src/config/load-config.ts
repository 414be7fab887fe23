import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import * as path from 'path';
import { ConfigError, ErrorDetail } from '../errors';
import { AppConfig } from './app-config';
import { redactUrl } from './redact';

/** Variables that look like ours but are not read: almost always a typo worth naming. */
const KNOWN_PREFIXES = ['SEQCAST_', 'JOBS_'];
/** Read by clients and tests, not by the server: not typos. */
const CLIENT_VARIABLES = ['SEQCAST_URL', 'SEQCAST_SHARED_DATA', 'SEQCAST_API_KEY'];

function flatten(errors: ValidationError[]): ErrorDetail[] {
  // One detail per variable: 'eighty' for PORT breaks IsInt, Min and Max, but is one mistake.
  return errors.map((e) => ({
    field: e.property,
    reason: `${Object.values(e.constraints ?? {})
      .map((r) => r.replace(new RegExp(`^${e.property} `), ''))
      .join(', ')} (got ${JSON.stringify(typeof e.value === 'string' ? redactUrl(e.value) : e.value)})`,
  }));
}

/**
 * Reads and validates the configuration from an environment (process.env by default).
 * Throws ConfigError naming every bad variable at once, so a broken deployment is
 * fixed in one round rather than one variable per restart.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const keys = Object.keys(new AppConfig());
  const optional = ['DATABASE_URL', 'SQLITE_PATH', 'REDIS_URL', 'AUTH'];
  const raw: Record<string, string> = {};
  for (const k of [...keys, ...optional]) {
    const v = env[k];
    if (v !== undefined && v !== '') raw[k] = v;
  }
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const details = flatten(validateSync(config, { skipMissingProperties: false }));
  for (const k of Object.keys(env)) {
    if (KNOWN_PREFIXES.some((p) => k.startsWith(p)) && !keys.includes(k) && !CLIENT_VARIABLES.includes(k)) {
      details.push({ field: k, reason: 'unknown variable (not a seqcast setting)' });
    }
  }
  if (config.ROLE !== 'all' && !config.REDIS_URL && details.length === 0) {
    details.push({
      field: 'ROLE',
      reason: `ROLE=${config.ROLE} needs REDIS_URL: without Redis, jobs run in-process, so one process (ROLE=all) must serve and run them`,
    });
  }
  if (config.AUTH === 'off' && !isLoopbackHost(config.HOST) && details.length === 0) {
    details.push({
      field: 'AUTH',
      reason: `AUTH=off with HOST=${config.HOST} would serve every route without a key beyond this machine: set AUTH=required (and create keys with \`seqcast keys create\`) or bind HOST to a loopback address`,
    });
  }
  if (details.length) throw new ConfigError(details);
  return config;
}

/** Addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Whether requests need an API key: AUTH when set, else off only on a loopback HOST. */
export function authRequired(config: AppConfig): boolean {
  return config.AUTH ? config.AUTH === 'required' : !isLoopbackHost(config.HOST);
}

/** Absolute paths derived from the configuration. */
export function dataPaths(config: AppConfig) {
  const root = path.resolve(config.DATA_DIR);
  return {
    root,
    sqlite: config.SQLITE_PATH === ':memory:' ? ':memory:' : path.resolve(config.SQLITE_PATH ?? path.join(root, 'seqcast.db')),
    datasets: path.join(root, 'datasets'),
    artifacts: path.join(root, 'artifacts'),
    reports: path.join(root, 'reports'),
    forecasts: path.join(root, 'forecasts'),
  };
}
