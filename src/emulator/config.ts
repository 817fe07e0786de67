/**
 * Defaults and validation of `EmulatorOptions`.
 *
 * @module
 */

import { type Clock, systemClock } from "../util/clock.ts";
import type { EmulatorOptions } from "./types.ts";

/** `EmulatorOptions` with every default filled in. */
export interface EmulatorConfig {
  /** Where the APIs listen. */
  hostname: string;
  /** The APIs' port (0 picks one). */
  port: number;
  /** `AWS_LAMBDA_FUNCTION_NAME` of the emulated function. */
  functionName: string;
  /** Its version (`$LATEST`). */
  functionVersion: string;
  /** Its memory size, in MB. */
  memoryMb: number;
  /** Its region. */
  region: string;
  /** Its handler, as the INVOKE event names it. */
  handler: string;
  /** The function timeout. */
  functionTimeoutMs: number;
  /** The init phase's limit. */
  initTimeoutMs: number;
  /** Invocations handed out at once. */
  maxConcurrency: number;
  /** External extensions that must register before init can end. */
  extensions: number;
  /** Receives a line for each request served, if set. */
  log: ((line: string) => void) | undefined;
  /** The clock deadlines and timings are read on. */
  clock: Clock;
}

/** Fills in defaults and throws a `RangeError` for values Lambda would refuse. */
export function resolveConfig(options: EmulatorOptions): EmulatorConfig {
  const config: EmulatorConfig = {
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    functionName: options.functionName ?? "function",
    functionVersion: options.functionVersion ?? "$LATEST",
    memoryMb: options.memoryMb ?? 128,
    region: options.region ?? "us-east-1",
    handler: options.handler ?? "",
    // Lambda's defaults: a 3 s function timeout and a 10 s init phase.
    functionTimeoutMs: options.functionTimeoutMs ?? 3000,
    initTimeoutMs: options.initTimeoutMs ?? 10_000,
    maxConcurrency: options.maxConcurrency ?? 1,
    extensions: options.extensions ?? 0,
    log: options.log,
    clock: options.clock ?? systemClock,
  };
  requirePositive("functionTimeoutMs", config.functionTimeoutMs);
  requirePositive("initTimeoutMs", config.initTimeoutMs);
  if (!Number.isSafeInteger(config.maxConcurrency) || config.maxConcurrency < 1) {
    throw new RangeError(`maxConcurrency must be a positive integer, got ${config.maxConcurrency}`);
  }
  if (!Number.isSafeInteger(config.extensions) || config.extensions < 0) {
    throw new RangeError(`extensions must be a whole number, got ${config.extensions}`);
  }
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${config.port}`);
  }
  return config;
}

/** Throws a `RangeError` unless `value` is a finite number above zero. */
export function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}`);
  }
}
