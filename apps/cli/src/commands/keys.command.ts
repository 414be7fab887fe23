import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, ValidationFailed } from '@seqcast/core';
import { API_KEY_SCOPES, ApiKeys, ApiKeyScope, openDatabase } from '@seqcast/db';

function parseScopes(value: string): ApiKeyScope[] {
  const scopes = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || bad.length > 0) {
    throw new InvalidArgumentError(`scopes are a comma-separated list of ${API_KEY_SCOPES.join(', ')}`);
  }
  return scopes as ApiKeyScope[];
}

/** Runs `work` on the configured database; it talks to no server, so the first admin key can be made here. */
async function withKeys<T>(work: (keys: ApiKeys) => Promise<T>): Promise<T> {
  const ds = await openDatabase(loadConfig());
  try {
    return await work(new ApiKeys(ds));
  } finally {
    await ds.destroy();
  }
}

/** `seqcast keys create|list|revoke`, directly against DATABASE_URL / SQLITE_PATH. */
export function keysCommand(): Command {
  const keys = new Command('keys').description('create, list and revoke API keys (in the configured database)');
  keys
    .command('create')
    .description('create a key; it is printed once, only its hash is stored')
    .requiredOption('--scopes <list>', `comma-separated: ${API_KEY_SCOPES.join(', ')}`, parseScopes)
    .option('--name <name>', 'a label for listings', '')
    .action(async (o: { scopes: ApiKeyScope[]; name: string }) => {
      const created = await withKeys((k) => k.create(o.scopes, o.name));
      // The key alone on stdout, so `KEY=$(seqcast keys create ...)` works; the rest on stderr.
      console.error(`created key ${created.prefix} (id ${created.id}, scopes ${created.scopes.join(',')}); it is not shown again`);
      console.log(created.key);
    });
  keys
    .command('list')
    .description('list keys: id, prefix, scopes, state (never the keys)')
    .action(async () => {
      for (const k of await withKeys((ks) => ks.list())) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        console.log(`${k.id}  ${k.prefix}  ${k.scopes.join(',')}  ${state}  ${k.name}`);
      }
    });
  keys
    .command('revoke <prefix|id>')
    .description('revoke a key by its id or prefix')
    .action(async (which: string) => {
      const revoked = await withKeys((k) => k.revoke(which));
      if (!revoked) throw new ValidationFailed(`no API key with id or prefix ${which}`);
      console.log(`revoked ${revoked.prefix} (${revoked.id})`);
    });
  return keys;
}
