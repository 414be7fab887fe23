import { InitialSchema1764133200000 } from './1764133200000-initial-schema';

/** Every migration, oldest first. New migrations are appended here. */
export const MIGRATIONS = [InitialSchema1764133200000];
