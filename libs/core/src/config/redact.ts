import { AppConfig } from './app-config';

const HIDDEN = '***';
/** Query parameters that carry a secret in connection URLs (libpq reads `?password=`). */
const SECRET_PARAMS = /([?&](?:password|passwd|pwd|pass|secret|token|api[-_]?key)=)[^&#]*/gi;

/**
 * Hides the credentials in a URL: `scheme://user:password@host` becomes
 * `scheme://user:***@host`, a user part with no colon (often a token on its own) becomes
 * `***`, and secret-looking query parameters lose their value. Works on the text, not
 * through `URL`, so that a URL too malformed to parse is redacted all the same (it is
 * exactly the one an error message would echo). Anything that is not a URL is returned as is.
 */
export function redactUrl(value: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(value);
  if (!scheme) return value;
  const start = scheme[0].length;
  const authorityEnd = value.slice(start).search(/[/?#]/);
  const end = authorityEnd === -1 ? value.length : start + authorityEnd;
  // The user part runs to the authority's last '@': an unescaped '@' in a password is common.
  const at = value.lastIndexOf('@', end - 1);
  let out = value;
  if (at >= start) {
    const userinfo = value.slice(start, at);
    const colon = userinfo.indexOf(':');
    const shown = colon === -1 ? HIDDEN : `${userinfo.slice(0, colon)}:${HIDDEN}`;
    out = value.slice(0, start) + shown + value.slice(at);
  }
  return out.replace(SECRET_PARAMS, `$1${HIDDEN}`);
}

/**
 * The configuration as it may be printed or logged: every string setting that is a URL
 * (REDIS_URL, DATABASE_URL and any added later) with its credentials hidden.
 */
export function printableConfig(config: AppConfig): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === 'string' ? redactUrl(v) : v]),
  );
}
