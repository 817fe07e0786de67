/**
 * publishLayers() against a stand-in for the Lambda API that keeps state the way Lambda does:
 * version numbers per region and layer, descriptions, one permission statement per id. AWS itself
 * cannot be reached from here; the release workflow runs the same code against it.
 */

import assert from "node:assert/strict";
import { type AwsResult, layerDescription, publishLayers } from "./publish_layers.ts";
import { parseReleaseConfig } from "./release_config.ts";

const CONFIG = parseReleaseConfig({
  image: "public.ecr.aws/example/lambda-adapter",
  layers: { x86_64: "TestLayerX86", arm64: "TestLayerArm64" },
  licence: "Apache-2.0",
  regions: ["us-east-1", "eu-west-1", "ap-southeast-7"],
});
const ZIPS = { "x86_64": "/dist/x86.zip", arm64: "/dist/arm64.zip" };

/** Lambda's layer API, in memory, for one account. */
class FakeLambda {
  calls: string[][] = [];
  layers = new Map<string, { Version: number; Description: string; statements: Set<string> }[]>();
  disabledRegions = new Set<string>();

  run = (args: readonly string[]): Promise<AwsResult> => {
    this.calls.push([...args]);
    const flag = (name: string) => args[args.indexOf(name) + 1]!;
    const region = flag("--region");
    const name = flag("--layer-name");
    const arn = (version: number) =>
      `arn:aws:lambda:${region}:111122223333:layer:${name}:${version}`;
    const fail = (stderr: string) => Promise.resolve({ ok: false, stdout: "", stderr });
    const answer = (json: unknown) =>
      Promise.resolve({ ok: true, stdout: JSON.stringify(json), stderr: "" });
    if (this.disabledRegions.has(region)) {
      return fail("An error occurred (UnrecognizedClientException): The security token is invalid");
    }
    const versions = this.layers.get(`${region}/${name}`) ?? [];
    this.layers.set(`${region}/${name}`, versions);
    switch (args[1]) {
      case "list-layer-versions":
        return answer({
          LayerVersions: versions.map((v) => ({ ...v, LayerVersionArn: arn(v.Version) })).reverse(),
        });
      case "publish-layer-version": {
        const version = { Version: versions.length + 1, Description: flag("--description") };
        versions.push({ ...version, statements: new Set() });
        return answer({ ...version, LayerVersionArn: arn(version.Version), LayerArn: "" });
      }
      case "add-layer-version-permission": {
        const version = versions.find((v) => v.Version === Number(flag("--version-number")))!;
        const id = flag("--statement-id");
        if (version.statements.has(id)) {
          return fail("An error occurred (ResourceConflictException): statement id exists");
        }
        version.statements.add(id);
        return answer({ Statement: "{}", RevisionId: "1" });
      }
    }
    return fail(`unknown command ${args[1]}`);
  };
}

Deno.test("publishLayers() publishes both architectures in every region, publicly", async () => {
  const lambda = new FakeLambda();
  const { published, failures } = await publishLayers({
    config: CONFIG,
    version: "1.2.3",
    zips: ZIPS,
    aws: lambda.run,
  });
  assert.deepEqual(failures, []);
  assert.deepEqual(published.map((layer) => `${layer.region} ${layer.arch} ${layer.arn}`), [
    "us-east-1 x86_64 arn:aws:lambda:us-east-1:111122223333:layer:TestLayerX86:1",
    "us-east-1 arm64 arn:aws:lambda:us-east-1:111122223333:layer:TestLayerArm64:1",
    "eu-west-1 x86_64 arn:aws:lambda:eu-west-1:111122223333:layer:TestLayerX86:1",
    "eu-west-1 arm64 arn:aws:lambda:eu-west-1:111122223333:layer:TestLayerArm64:1",
    "ap-southeast-7 x86_64 arn:aws:lambda:ap-southeast-7:111122223333:layer:TestLayerX86:1",
    "ap-southeast-7 arm64 arn:aws:lambda:ap-southeast-7:111122223333:layer:TestLayerArm64:1",
  ]);
  const publish = lambda.calls.find((args) =>
    args[1] === "publish-layer-version" && args.includes("eu-west-1") && args.includes("arm64")
  );
  assert.deepEqual(publish, [
    "lambda",
    "publish-layer-version",
    "--region",
    "eu-west-1",
    "--layer-name",
    "TestLayerArm64",
    "--output",
    "json",
    "--description",
    "lambda-adapter (Deno) 1.2.3 for arm64",
    "--license-info",
    "Apache-2.0",
    "--compatible-architectures",
    "arm64",
    "--zip-file",
    "fileb:///dist/arm64.zip",
  ]);
  const permissions = lambda.calls.filter((args) => args[1] === "add-layer-version-permission");
  assert.equal(permissions.length, 6);
  for (const args of permissions) {
    assert.deepEqual(args.slice(-8), [
      "--version-number",
      "1",
      "--statement-id",
      "public-read",
      "--action",
      "lambda:GetLayerVersion",
      "--principal",
      "*",
    ]);
  }
});

Deno.test("publishLayers() reports a failing region and a re-run reuses the versions made", async () => {
  const lambda = new FakeLambda();
  lambda.disabledRegions.add("ap-southeast-7");
  const first = await publishLayers({
    config: CONFIG,
    version: "1.2.3",
    zips: ZIPS,
    aws: lambda.run,
  });
  assert.deepEqual(first.failures.map(({ region, arch }) => `${region} ${arch}`), [
    "ap-southeast-7 x86_64",
    "ap-southeast-7 arm64",
  ]);
  assert.match(first.failures[0]!.message, /list-layer-versions: .*UnrecognizedClientException/);
  assert.equal(first.published.length, 4);

  lambda.disabledRegions.clear();
  lambda.calls = [];
  const second = await publishLayers({
    config: CONFIG,
    version: "1.2.3",
    zips: ZIPS,
    aws: lambda.run,
  });
  assert.deepEqual(second.failures, []);
  assert.ok(second.published.every((layer) => layer.version === 1));
  const published = lambda.calls.filter((args) => args[1] === "publish-layer-version");
  assert.deepEqual(published.map((args) => args[3]), ["ap-southeast-7", "ap-southeast-7"]);

  // The next release gets a new version everywhere.
  const third = await publishLayers({
    config: CONFIG,
    version: "1.3.0",
    zips: ZIPS,
    aws: lambda.run,
  });
  assert.ok(third.published.every((layer) => layer.version === 2));
  assert.equal(
    lambda.layers.get("us-east-1/TestLayerX86")![1]!.Description,
    layerDescription("1.3.0", "x86_64"),
  );
});

Deno.test("publishLayers() fails a region whose answer is not a layer version", async () => {
  const aws = (args: readonly string[]): Promise<AwsResult> =>
    Promise.resolve({
      ok: true,
      stdout: args[1] === "list-layer-versions"
        ? '{"LayerVersions":[]}'
        : '{"Message":"\u{1F600}"}',
      stderr: "",
    });
  const { published, failures } = await publishLayers({
    config: CONFIG,
    version: "1.0.0",
    zips: ZIPS,
    aws,
  });
  assert.equal(published.length, 0);
  assert.equal(failures.length, 6);
  assert.match(failures[0]!.message, /unexpected answer from AWS/);
});
