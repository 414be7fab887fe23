export * from './errors';
export * from './work-context';
export * from './config/app-config';
export * from './config/load-config';
export * from './version';
export * from './run-or-explain';
export * from './shared-data';
export * from './config/kernel-settings';
