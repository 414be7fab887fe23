import { adapterRegistry } from './registry';
import { onenetDefinition } from './onenet/onenet-method';
import { petsaDefinition, tafasDefinition } from './calibration';

// Each method registers here once its module exists (TAFAS, PETSA, OneNet).
export { adapterRegistry };
adapterRegistry.register(onenetDefinition);
adapterRegistry.register(tafasDefinition);
adapterRegistry.register(petsaDefinition);
