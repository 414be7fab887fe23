import { arnetDefinition } from '../arnet/arnet';
import { classicArDefinition } from '../baselines/classic-ar';
import { dlinearDefinition } from '../baselines/dlinear';
import { driftDefinition } from '../baselines/drift';
import { naiveDefinition, seasonalNaiveDefinition } from '../baselines/naive';
import { linearDefinition } from '../baselines/linear';
import { nlinearDefinition } from '../baselines/nlinear';
import { ls4Definition } from '../ls4/ls4';
import { spacetimeDefinition } from '../spacetime/spacetime';
import { arimaDefinition } from '../statistical/arima-forecaster';
import { etsDefinition } from '../statistical/ets-forecaster';
import { thetaDefinition } from '../statistical/theta-forecaster';
import { ensembleDefinition } from '../ensemble/ensemble';
import { ForecasterRegistry } from './forecaster-registry';

/** A registry with every model of the zoo. */
export function createForecasterRegistry(): ForecasterRegistry {
  const registry = new ForecasterRegistry();
  return registry
    .register(naiveDefinition)
    .register(seasonalNaiveDefinition)
    .register(driftDefinition)
    .register(classicArDefinition)
    .register(linearDefinition)
    .register(dlinearDefinition)
    .register(nlinearDefinition)
    .register(arnetDefinition)
    .register(spacetimeDefinition)
    .register(ls4Definition)
    .register(etsDefinition)
    .register(thetaDefinition)
    .register(arimaDefinition)
    .register(ensembleDefinition(registry));
}

/** The process-wide registry HTTP, CLI and jobs use. */
export const forecasterRegistry = createForecasterRegistry();

/** The kinds that draw unconditional sample paths (`generate`), for errors that name them. */
export function generativeKinds(): string[] {
  return forecasterRegistry.kinds().filter((k) => forecasterRegistry.can(k, 'generative'));
}
