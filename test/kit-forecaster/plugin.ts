import { forecasterRegistry } from '@seqcast/forecast';
import { linearMapDefinition } from './linear-map';

// The one registration line. SEQCAST_PLUGINS names this module, so the api process and
// every worker thread it trains or calibrates in run it (see @seqcast/tensor's loadPlugins).
forecasterRegistry.register(linearMapDefinition);
