/**
 * A minimal, deterministic ZIP writer for the layer: entries sorted by name, every timestamp
 * fixed at 1980-01-01 00:00, Unix modes kept, contents deflated. The same input gives the same
 * bytes, so a layer's hash only changes when its files do.
 *
 * @module
 */

import { deflateRawSync } from "node:zlib";
import { concatBytes } from "../src/util/bytes.ts";

/** One file or directory (a name ending in `/`). */
export interface ZipEntry {
  name: string;
  /** Unix permission bits, e.g. 0o755. */
  mode: number;
  data?: Uint8Array;
}

const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const DOS_TIME = 0;
const encoder = new TextEncoder();

/** Builds the archive. */
export function buildZip(entries: readonly ZipEntry[]): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of sorted) {
    const name = encoder.encode(entry.name);
    const isDir = entry.name.endsWith("/");
    const raw = entry.data ?? new Uint8Array();
    const data = isDir ? raw : deflateRawSync(raw, { level: 9 });
    const method = isDir ? 0 : 8;
    const crc = crc32(raw);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true); // version needed: 2.0
    local.setUint16(6, 0x0800, true); // UTF-8 names
    local.setUint16(8, method, true);
    local.setUint16(10, DOS_TIME, true);
    local.setUint16(12, DOS_DATE, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, data.byteLength, true);
    local.setUint32(22, raw.byteLength, true);
    local.setUint16(26, name.byteLength, true);
    local.setUint16(28, 0, true);
    const record = new DataView(new ArrayBuffer(46));
    record.setUint32(0, 0x02014b50, true);
    record.setUint16(4, (3 << 8) | 20, true); // made by Unix, so the external attributes hold a mode
    record.setUint16(6, 20, true);
    record.setUint16(8, 0x0800, true);
    record.setUint16(10, method, true);
    record.setUint16(12, DOS_TIME, true);
    record.setUint16(14, DOS_DATE, true);
    record.setUint32(16, crc, true);
    record.setUint32(20, data.byteLength, true);
    record.setUint32(24, raw.byteLength, true);
    record.setUint16(28, name.byteLength, true);
    const type = isDir ? 0o040000 : 0o100000;
    record.setUint32(38, (((type | entry.mode) << 16) >>> 0) | (isDir ? 0x10 : 0), true);
    record.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, data);
    central.push(new Uint8Array(record.buffer), name);
    offset += 30 + name.byteLength + data.byteLength;
  }
  const centralSize = central.reduce((size, part) => size + part.byteLength, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, sorted.length, true);
  end.setUint16(10, sorted.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  return concatBytes([...parts, ...central, new Uint8Array(end.buffer)]);
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as ZIP uses it. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
