/**
 * The lanes of bench/peer.ts: one adapter against its own fake Runtime API, started, measured and
 * stopped together, and the order in which they take turns.
 *
 * @module
 */

import type { Child } from "../tests/harness.ts";
import { type AdapterKind, spawnAdapter } from "./adapters.ts";
import { type FakeRuntime, type RuntimeKind, startRuntime } from "./runtimes.ts";
import { median, type MemoryKiB, memoryKiB } from "./stats.ts";

/** One adapter against one fake Runtime API. */
export interface Lane {
  adapter: AdapterKind;
  runtime: RuntimeKind;
  fake: FakeRuntime;
  child: Child;
}

/** The lane order of round `round` over `count` lanes: forwards, then backwards (ABBA). */
export function turns(count: number, round: number): number[] {
  const forwards = Array.from({ length: count }, (_, j) => j);
  return round % 2 === 0 ? forwards : forwards.reverse();
}

/** Starts every adapter against its own fake of every kind; resolves once all have initialised. */
export async function startLanes(
  adapters: AdapterKind[],
  runtimes: RuntimeKind[],
  appPort: number,
): Promise<Lane[]> {
  const lanes: Lane[] = [];
  try {
    for (const runtime of runtimes) {
      for (const adapter of adapters) {
        const fake = await startRuntime(runtime, 60_000);
        lanes.push({
          adapter,
          runtime,
          fake,
          child: spawnAdapter(adapter, fake.runtimeApi, appPort),
        });
      }
    }
    for (const lane of lanes) {
      await lane.fake.waitForInit().catch((error) => {
        throw new Error(`${lane.adapter}: ${error.message}\n${lane.child.output()}`);
      });
    }
  } catch (error) {
    await stopLanes(lanes);
    throw error;
  }
  return lanes;
}

/** Stops the adapters, then their fakes. */
export async function stopLanes(lanes: Lane[]): Promise<void> {
  for (const lane of lanes) await lane.child[Symbol.asyncDispose]();
  for (const lane of lanes) await lane.fake[Symbol.asyncDispose]();
}

/** VmRSS and VmHWM of a lane's adapter; an error with its output when it has exited. */
export function laneMemory(lane: Lane): MemoryKiB {
  try {
    return memoryKiB(lane.child.process.pid);
  } catch {
    throw new Error(`${lane.adapter} [${lane.runtime}] has exited:\n${lane.child.output()}`);
  }
}

/**
 * Spawn → first `/runtime/invocation/next` of each adapter, the app already up, a fresh fake per
 * spawn, adapters taking turns; the median per adapter, in `adapters` order.
 */
export async function coldStart(
  adapters: AdapterKind[],
  runtime: RuntimeKind,
  appPort: number,
  runs: number,
): Promise<number[]> {
  const times: number[][] = adapters.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const j of turns(adapters.length, i)) {
      await using fake = await startRuntime(runtime, 60_000);
      const spawned = performance.now();
      await using _child = spawnAdapter(adapters[j]!, fake.runtimeApi, appPort);
      await fake.waitForInit();
      times[j]!.push(fake.firstNextAt! - spawned);
    }
  }
  return times.map(median);
}
