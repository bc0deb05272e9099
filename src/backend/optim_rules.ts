/**
 * The fused optimizer's update rules as they declare themselves (native/common/optim/<rule>.h,
 * listed in native/common/optim/rules.h): each rule's state slots in slot order, with PyTorch's
 * state-dict name and the step-table field that switches the slot on. The addon exports the
 * declarations (`optimRules`), so the optimizers allocate, pass and save exactly the state the
 * rule's code uses, and nothing in TypeScript restates it. They belong to the rule, not to a
 * device: every backend runs the same rules over the same slots.
 */
import { addon } from './addon.js';
import { ROW_FIELDS, type StepRow } from './step_layout.js';

export interface OptimSlot {
  /** The state-dict key (PyTorch's: exp_avg, momentum_buffer, ...). */
  readonly name: string;
  /** The row field whose non-zero value switches the slot on; null: always used. */
  readonly when: keyof StepRow | null;
}

export interface OptimRule {
  readonly name: string;
  readonly slots: readonly OptimSlot[];
}

const rules: ReadonlyMap<string, OptimRule> = new Map(
  Object.entries(addon.optimRules).map(([name, rule]) => {
    for (const slot of rule.slots) {
      if (slot.when !== null && !(slot.when in ROW_FIELDS)) {
        throw new Error(`steepest: optimizer rule '${name}' switches slot '${slot.name}' on an unknown step-table field '${slot.when}' (rebuild the addon)`);
      }
    }
    const slots = rule.slots.map((s) => Object.freeze({ name: s.name, when: s.when as keyof StepRow | null }));
    return [name, Object.freeze({ name, slots: Object.freeze(slots) })];
  }),
);

/** The declaration of rule `kind`; throws for a rule the addon does not have. */
export function optimRule(kind: string): OptimRule {
  const rule = rules.get(kind);
  if (!rule) throw new Error(`steepest: the native addon has no optimizer rule '${kind}' (it has ${[...rules.keys()].join(', ')})`);
  return rule;
}

/** Whether a group whose row is `row` uses `slot`. */
export const slotUsed = (slot: OptimSlot, row: StepRow): boolean =>
  slot.when === null || Number(row[slot.when]) !== 0;
