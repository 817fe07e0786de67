import assert from "node:assert/strict";
import { loadReleaseConfig, parseReleaseConfig } from "./release_config.ts";

const GOOD = {
  image: "public.ecr.aws/example/lambda-adapter",
  layers: { x86_64: "LayerX86", arm64: "LayerArm64" },
  licence: "Apache-2.0",
  regions: ["us-east-1", "eu-west-1"],
};

Deno.test("release/publish.json is valid and names this project's layers and image", async () => {
  const config = await loadReleaseConfig();
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.regions));
  // LWA's names: ours must never collide with them.
  assert.notEqual(config.layers.x86_64, "LambdaAdapterLayerX86");
  assert.notEqual(config.layers.arm64, "LambdaAdapterLayerArm64");
  assert.ok(!config.image.includes("awsguru/aws-lambda-adapter"));
  assert.ok(config.regions.includes("us-east-1"));
});

Deno.test("parseReleaseConfig() names every problem at once", () => {
  assert.throws(
    () =>
      parseReleaseConfig({
        image: "public.ecr.aws/example/lambda-adapter:1.0.0",
        layers: { x86_64: "Layer\u{1F600}", arm64: "Layer\uD800" },
        licence: "",
        regions: ["us-east-1", "us-east-1", "cn-north-1", "us-gov-west-1", "Moon-1", 7],
      }),
    (error: Error) => {
      for (
        const part of [
          "image must be",
          "layers.x86_64",
          "layers.arm64",
          "licence",
          "us-east-1 is listed twice",
          '"cn-north-1" is not a commercial region',
          '"us-gov-west-1" is not a commercial region',
          '"Moon-1" is not',
          "7 is not",
        ]
      ) assert.ok(error.message.includes(part), `${part} in ${error.message}`);
      return true;
    },
  );
  assert.throws(() => parseReleaseConfig(null), /regions must be a non-empty list/);
  assert.throws(
    () => parseReleaseConfig({ ...GOOD, layers: { x86_64: "Same", arm64: "Same" } }),
    /must differ/,
  );
  assert.deepEqual(parseReleaseConfig(GOOD).regions, ["us-east-1", "eu-west-1"]);
});
