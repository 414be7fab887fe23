'use strict';
// Entry for `npm run bench:tensor`: runs bench/tensor.ts from source (no build needed).
require('../libs/tensor/src/worker/ts-hook.js').register();
require('./tensor.ts');
