// The version users see in /health and `seqcast --version`, read once from package.json.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const SEQCAST_VERSION: string = require('../../../package.json').version;
