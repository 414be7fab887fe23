import { AppConfig, kernelSettings, TfBackendName } from '@seqcast/core';
import { configureKernels } from '../kernels/configure-kernels';
import { loadPlugins } from '../worker/plugins';
import { BackendInfo } from './backend-info';
import { selectBackend } from './select-backend';

/**
 * What a process that runs models does at boot, from its validated configuration: sets the
 * kernel tier (SEQCAST_NATIVE, SEQCAST_NATIVE_ISA), loads the plugin modules that register
 * model kinds (SEQCAST_PLUGINS; worker threads load them too) and chooses the tfjs backend
 * (TF_BACKEND).
 * A caller that wants another default than `auto`'s order names it in `auto` (the event
 * model evaluations run on cpu, where their recorded figures were made).
 */
export async function configureTensors(
  config: AppConfig,
  options: { auto?: Exclude<TfBackendName, 'auto'> } = {},
): Promise<BackendInfo> {
  configureKernels(kernelSettings(config));
  loadPlugins(config.SEQCAST_PLUGINS);
  return selectBackend(config.TF_BACKEND === 'auto' && options.auto ? options.auto : config.TF_BACKEND);
}
