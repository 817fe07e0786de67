import assert from "node:assert/strict";
import { type BodyPiece, PreludeSplitter } from "./prelude_splitter.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function piece(text: string, at = 0): BodyPiece {
  return { bytes: encoder.encode(text), at };
}

function texts(pieces: BodyPiece[]): [string, number][] {
  return pieces.map(({ bytes, at }) => [decoder.decode(bytes), at]);
}

Deno.test("PreludeSplitter finds 8 NULs split over pieces and keeps arrival times", () => {
  const splitter = new PreludeSplitter(1024);
  assert.deepEqual(splitter.push(piece('{"a":', 1)), []);
  assert.deepEqual(splitter.push(piece("1}\0\0", 2)), []);
  assert.deepEqual(splitter.push(piece("\0\0\0\0\0", 3)), []);
  assert.equal(splitter.searching, true);
  assert.deepEqual(texts(splitter.push(piece("\0body", 4))), [["body", 4]]);
  assert.equal(decoder.decode(splitter.prelude), '{"a":1}');
  assert.deepEqual(texts(splitter.push(piece("\0\0more", 5))), [["\0\0more", 5]]);
  assert.deepEqual(splitter.end(), []);
});

Deno.test("PreludeSplitter needs a run of 8: shorter runs stay in the prelude", () => {
  const splitter = new PreludeSplitter(1024);
  assert.deepEqual(splitter.push(piece("a\0\0\0\0\0\0\0b")), []);
  assert.deepEqual(texts(splitter.push(piece("\0\0\0\0\0\0\0\0\0\0c", 7))), [["\0\0c", 7]]);
  assert.equal(decoder.decode(splitter.prelude), "a\0\0\0\0\0\0\0b");
});

Deno.test("PreludeSplitter gives the held pieces back as body without a delimiter", () => {
  const ended = new PreludeSplitter(1024);
  ended.push(piece("no", 1));
  ended.push(piece(" delimiter", 2));
  assert.deepEqual(texts(ended.end()), [["no", 1], [" delimiter", 2]]);
  assert.equal(ended.prelude, undefined);

  const tooLong = new PreludeSplitter(4);
  assert.deepEqual(tooLong.push(piece("abc", 1)), []);
  assert.deepEqual(texts(tooLong.push(piece("de", 2))), [["abc", 1], ["de", 2]]);
  assert.equal(tooLong.searching, false);
  assert.deepEqual(texts(tooLong.push(piece("\0\0\0\0\0\0\0\0", 3))), [["\0\0\0\0\0\0\0\0", 3]]);
});

Deno.test("PreludeSplitter handles an empty prelude and an empty rest", () => {
  const splitter = new PreludeSplitter(1024);
  assert.deepEqual(splitter.push(piece("\0\0\0\0\0\0\0\0")), []);
  assert.equal(splitter.prelude?.length, 0);
  assert.equal(splitter.searching, false);
});
