import { adapterRegistry } from './registry';

// Each method registers here once its module exists (TAFAS, PETSA, OneNet).
export { adapterRegistry };
