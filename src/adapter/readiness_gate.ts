/**
 * One readiness check shared by start-up and, under `AWS_LWA_ASYNC_INIT`, by the first
 * invocations.
 *
 * @module
 */

import { ErrorType, InvocationError } from "../lambda/errors.ts";
import { raceAbort, timeoutSignalOn } from "../util/async.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { type ReadinessOptions, readinessUrl, waitUntilReady } from "./readiness.ts";

/** Lets invocations wait for the app. */
export interface ReadinessGate {
  /** Whether the app has been found ready. */
  readonly ready: boolean;
  /** Resolves once the app is ready; rejects with an {@link InvocationError} if `signal` fires first. */
  wait(signal: AbortSignal): Promise<void>;
}

/** What start-up learns. */
export interface InitReadiness {
  /** Whether the app was ready when init ended. */
  readonly ready: boolean;
  /** How long start-up waited. */
  readonly elapsedMs: number;
}

/**
 * Starts the check. With `asyncInitBudgetMs` set, start-up stops waiting after that long (9.8 s
 * in LWA, under Lambda's 10 s init limit) and the check goes on: the first invocations await the
 * same check rather than each starting their own (LWA runs one loop per invocation).
 */
export function startReadiness(
  options: ReadinessOptions,
  settings: { asyncInitBudgetMs?: number | undefined; signal?: AbortSignal },
): { gate: ReadinessGate; init: Promise<InitReadiness> } {
  let ready = false;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const check = waitUntilReady(options, settings.signal).then((result) => {
    ready = true;
    return result;
  });
  // The rejection (shutdown) is observed through `init` or `wait`; never leave it unhandled.
  check.catch(() => {});

  const gate: ReadinessGate = {
    get ready() {
      return ready;
    },
    async wait(signal) {
      if (ready) return;
      try {
        await raceAbort(check, signal);
      } catch (error) {
        if (!signal.aborted) throw error;
        throw new InvocationError(
          ErrorType.AppUnreachable,
          `The app was not ready at ${readinessUrl(options)} before the invocation's deadline`,
        );
      }
    },
  };

  const budget = settings.asyncInitBudgetMs;
  const init = budget === undefined
    ? check.then(({ elapsedMs }) => ({ ready: true, elapsedMs }))
    : raceBudget(check, budget, clock).then(
      ({ elapsedMs }) => ({ ready: true, elapsedMs }),
      (error) => {
        if (ready) return { ready: true, elapsedMs: Math.round(clock.now() - started) };
        if (settings.signal?.aborted) throw error;
        return { ready: false, elapsedMs: Math.round(clock.now() - started) };
      },
    );
  return { gate, init };
}

/** Races `check` against a budget whose timer is released as soon as the check settles. */
function raceBudget<T>(check: Promise<T>, budgetMs: number, clock: Clock): Promise<T> {
  const budget = timeoutSignalOn(clock, budgetMs);
  return raceAbort(check, budget.signal).finally(() => budget.clear());
}
