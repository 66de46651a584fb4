/**
 * The active fault rules and the dispatcher hook that applies them.
 *
 * Rules are tried in the order they were added. Every matching rule that fires adds its delay; the
 * first one that fires with an error ends the search and that error is answered (later rules are not
 * consumed). Deciding is synchronous, before any waiting, so two concurrent calls can never both take
 * the last unit of a `count` rule.
 */
import type { ApiError } from '../error-catalogue';
import { ANY_ACTION, parseFaultRule, type FaultRule, type FaultRuleInput, type FaultRuleSpec } from './fault-rule';
import { injectedError, type InterruptedCall } from './injectable-errors';
import { randomSeed, seededRandom, type RandomSource } from './random';

/** A call as the dispatcher sees it once authenticated and routed (structurally its BeforeAction's argument). */
export interface FaultCall {
  caller: { accessKeyId: string };
  action: string;
  secretName: string | null;
}

interface ActiveRule {
  rule: FaultRule;
  random: RandomSource | null;
}

/** What the rules decided for one call. */
export interface FaultDecision {
  delayMs: number;
  error: ApiError | null;
  /** ids of the rules that fired */
  ruleIds: string[];
}

function matches(rule: FaultRuleSpec, call: InterruptedCall): boolean {
  return (rule.action === ANY_ACTION || rule.action === call.action) && (rule.secretName === null || rule.secretName === call.secretName);
}

export class FaultRegistry {
  private active: ActiveRule[] = [];
  private nextId = 1;

  /** Adds a rule (checked like any other input: throws FaultRuleError). Returns it with its id. */
  add(input: FaultRuleInput): FaultRule {
    return this.addChecked(parseFaultRule(input));
  }

  /** Adds a rule already checked by parseFaultRule(s) (e.g. a seed file's). */
  addChecked(spec: FaultRuleSpec): FaultRule {
    const rule: FaultRule = { ...spec, id: `fault-${this.nextId++}`, remaining: spec.count, matched: 0, fired: 0 };
    const random = spec.probability === null ? null : seededRandom(spec.seed ?? randomSeed());
    this.active.push({ rule, random });
    return { ...rule };
  }

  /** Removes one rule; false when no rule has that id (any more). */
  remove(id: string): boolean {
    const before = this.active.length;
    this.active = this.active.filter((a) => a.rule.id !== id);
    return this.active.length < before;
  }

  /** Removes every rule; returns how many there were. */
  clear(): number {
    const n = this.active.length;
    this.active = [];
    return n;
  }

  list(): FaultRule[] {
    return this.active.map((a) => ({ ...a.rule }));
  }

  get(id: string): FaultRule | undefined {
    const found = this.active.find((a) => a.rule.id === id);
    return found ? { ...found.rule } : undefined;
  }

  /** Decides what happens to a call, consuming counts. Used-up `count` rules are removed. */
  decide(call: InterruptedCall): FaultDecision | null {
    if (this.active.length === 0) return null;
    let delayMs = 0;
    let error: ApiError | null = null;
    const ruleIds: string[] = [];
    for (const entry of this.active) {
      const { rule } = entry;
      if (!matches(rule, call)) continue;
      rule.matched++;
      if (!this.fires(entry)) continue;
      rule.fired++;
      ruleIds.push(rule.id);
      delayMs += rule.delayMs;
      if (rule.error !== null) {
        error = injectedError(rule.error, call);
        break;
      }
    }
    this.active = this.active.filter((a) => a.rule.remaining !== 0);
    return ruleIds.length === 0 ? null : { delayMs, error, ruleIds };
  }

  /** The dispatcher hook: waits the decided delay, then answers the decided error (or lets the call pass). */
  readonly beforeAction = ({ caller, action, secretName }: FaultCall): Promise<ApiError | null> | null => {
    // no rule: nothing to decide, and no promise for the dispatcher to wait on
    if (this.active.length === 0) return null;
    const decision = this.decide({ action, secretName, accessKeyId: caller.accessKeyId });
    if (!decision) return null;
    return this.apply(decision);
  };

  private async apply(decision: FaultDecision): Promise<ApiError | null> {
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    return decision.error;
  }

  private fires(entry: ActiveRule): boolean {
    const { rule, random } = entry;
    if (rule.remaining !== null) {
      if (rule.remaining <= 0) return false;
      rule.remaining--;
      return true;
    }
    if (random !== null && rule.probability !== null) return random() < rule.probability;
    return true;
  }
}
