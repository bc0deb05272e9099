/** Every spec, by target key (functions) and class path (classes). */
import type { SpecTable } from '../spec.js';
import { coreClasses, coreFunctions } from './core.js';
import { dataClasses, dataFunctions } from './data.js';
import { nnClasses, nnFunctions } from './nn.js';
import { optimClasses, optimFunctions } from './optim.js';
import { trainClasses, trainFunctions } from './train.js';
import { tuneClasses, tuneFunctions } from './tune.js';

export const specs: SpecTable = {
  functions: { ...coreFunctions, ...nnFunctions, ...optimFunctions, ...dataFunctions, ...trainFunctions, ...tuneFunctions },
  classes: { ...coreClasses, ...nnClasses, ...optimClasses, ...dataClasses, ...trainClasses, ...tuneClasses },
};
