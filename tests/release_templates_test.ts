/**
 * The deploy templates, checked without AWS or Docker: `cdk synth` of examples/flask/cdk; the SAM
 * templates and the synthesized template through AWS's offline CloudFormation validator and the
 * SAM resource specification (tools/release-checks/validate_templates.mjs); and every file that
 * names the image, the layers or the version agreeing with release/publish.json and deno.json.
 */

import assert from "node:assert/strict";
import { loadReleaseConfig } from "../scripts/release_config.ts";
import {
  CDK,
  CDK_MISSING,
  cdkReady,
  repoPath as path,
  run,
  TOOLS_MISSING,
  toolsReady,
  validateTemplates,
} from "./support/release_tools.ts";

const config = await loadReleaseConfig();
const version = JSON.parse(await Deno.readTextFile(path("deno.json"))).version as string;
const SAM_TEMPLATES = ["examples/express-zip/template.yaml", "examples/hono-deno/template.yaml"];
/** The synthesized template, for the validator's test after this one (tests in a file run in order). */
let synthesized: string | undefined;

Deno.test({
  name: `cdk synth of examples/flask/cdk: an image function behind a streaming Function URL${
    cdkReady ? "" : CDK_MISSING
  }`,
  ignore: !cdkReady,
  fn: async () => {
    const out = await Deno.makeTempDir();
    const synth = await run(
      `${CDK}node_modules/.bin/cdk`,
      ["synth", "--output", out, "--quiet", "--no-notices", "--no-version-reporting"]
        .concat(["-c", "lambdaAdapterVersion=9.8.7", "-c", "architecture=arm64"]),
      { cwd: CDK, env: { CDK_DISABLE_CLI_TELEMETRY: "true" } },
    );
    assert.ok(synth.ok, synth.output);
    const template = JSON.parse(await Deno.readTextFile(`${out}/LambdaAdapterFlask.template.json`));
    type Resource = {
      Type: string;
      Properties: {
        PackageType?: string;
        Architectures?: string[];
        Environment?: { Variables: Record<string, string> };
        InvokeMode?: string;
        AuthType?: string;
      };
    };
    const resources = Object.values(template.Resources) as Resource[];
    const fn = resources.find((resource) => resource.Type === "AWS::Lambda::Function")!;
    assert.equal(fn.Properties.PackageType, "Image");
    assert.deepEqual(fn.Properties.Architectures, ["arm64"]);
    assert.equal(fn.Properties.Environment?.Variables.AWS_LWA_INVOKE_MODE, "response_stream");
    const url = resources.find((resource) => resource.Type === "AWS::Lambda::Url")!;
    assert.equal(url.Properties.InvokeMode, "RESPONSE_STREAM");
    assert.equal(url.Properties.AuthType, "NONE");

    // The image is built from examples/flask with the chosen release of the adapter's image.
    const assets = JSON.parse(await Deno.readTextFile(`${out}/LambdaAdapterFlask.assets.json`));
    type ImageAsset = {
      source: { directory: string; platform: string; dockerBuildArgs: Record<string, string> };
    };
    const [image] = Object.values(assets.dockerImages) as ImageAsset[];
    assert.deepEqual(image!.source.dockerBuildArgs, { LAMBDA_ADAPTER_VERSION: "9.8.7" });
    assert.equal(image!.source.platform, "linux/arm64");
    const context = `${out}/${image!.source.directory}`;
    const staged = [...Deno.readDirSync(context)].map((entry) => entry.name).sort();
    assert.ok(staged.includes("app.py") && staged.includes("Dockerfile"), `${staged}`);
    assert.ok(!staged.includes("cdk"), "the CDK app is not part of the image");
    const dockerfile = await Deno.readTextFile(`${context}/Dockerfile`);
    assert.ok(dockerfile.includes(`FROM ${config.image}:\${LAMBDA_ADAPTER_VERSION}`));

    synthesized = `${out}/LambdaAdapterFlask.template.json`;
  },
});

Deno.test({
  name: `SAM templates and the synthesized CDK template pass the CloudFormation validator${
    toolsReady ? "" : TOOLS_MISSING
  }`,
  ignore: !toolsReady,
  fn: async () => {
    // Broken copies of a template show that each kind of check reports. Two copies, because the
    // validator stops at a template SAM's transform would reject.
    const dir = await Deno.makeTempDir();
    const original = await Deno.readTextFile(path(SAM_TEMPLATES[0]!));
    const badProperties = `${dir}/bad_properties.yaml`;
    await Deno.writeTextFile(
      badProperties,
      original.replace("AuthType: NONE", "AuthTyp: NONE").replace(
        "MemorySize: 512",
        "MemorySize: lots",
      ),
    );
    const badReferences = `${dir}/bad_references.yaml`;
    await Deno.writeTextFile(
      badReferences,
      original.replace("- !Ref Architecture", "- !Ref Architectur")
        .replace("${LambdaAdapterLayerVersion}", "${LambdaAdapterLayerVersions}"),
    );
    const files = SAM_TEMPLATES.map(path);
    const results = await validateTemplates(
      [...files, badProperties, badReferences, ...(synthesized ? [synthesized] : [])],
    );
    for (const file of files) assert.deepEqual(results.get(file), [], file);
    if (synthesized) {
      // CDK writes a DependsOn on the role beside the GetAtt of it in every function it makes.
      const findings = results.get(synthesized)!.filter((finding) => finding.rule !== "W3005");
      assert.deepEqual(findings, [], synthesized);
      await Deno.remove(synthesized.slice(0, synthesized.lastIndexOf("/")), { recursive: true });
    }
    const expected: [string, RegExp][] = [
      [badProperties, /^SAM Properties\.FunctionUrlConfig\.AuthTyp: not a property here/],
      [badProperties, /^SAM Properties\.FunctionUrlConfig\.AuthType: required/],
      [badProperties, /^SAM Properties\.MemorySize: expected a number, got "lots"/],
      [badProperties, /^E0001 .*AuthType is required/],
      [badReferences, /'Architectur' is not one of/],
      [badReferences, /LambdaAdapterLayerVersions/],
    ];
    for (const [file, pattern] of expected) {
      const messages = results.get(file)!.map((finding) => `${finding.rule} ${finding.message}`);
      assert.ok(messages.some((message) => pattern.test(message)), `${pattern} in ${messages}`);
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test("templates, Dockerfiles, the CDK app and the README name this project's image, layers and version", async () => {
  const read = (file: string) => Deno.readTextFile(path(file));
  const express = await read("examples/express-zip/template.yaml");
  assert.ok(express.includes(`!If [IsArm64, ${config.layers.arm64}, ${config.layers.x86_64}]`));
  assert.ok(express.includes("AWS_LAMBDA_EXEC_WRAPPER: /opt/bootstrap"));
  assert.ok(express.includes("Handler: run.sh"));
  const hono = await read("examples/hono-deno/template.yaml");
  assert.match(
    hono,
    new RegExp(`LambdaAdapterVersion:\\n    Type: String\\n    Default: ${version}\\n`),
  );
  assert.ok(hono.includes("LAMBDA_ADAPTER_VERSION: !Ref LambdaAdapterVersion"));
  for (const example of ["hono-deno", "flask"]) {
    const dockerfile = await read(`examples/${example}/Dockerfile`);
    assert.ok(dockerfile.includes(`ARG LAMBDA_ADAPTER_VERSION=${version}\n`), example);
    assert.ok(
      dockerfile.includes(`FROM ${config.image}:\${LAMBDA_ADAPTER_VERSION} AS lambda-adapter\n`),
      example,
    );
    assert.ok(
      dockerfile.includes(
        "COPY --from=lambda-adapter /lambda-adapter /opt/extensions/lambda-adapter",
      ),
    );
  }
  const cdk = JSON.parse(await read("examples/flask/cdk/cdk.json"));
  assert.equal(cdk.context.lambdaAdapterVersion, version);
  const readme = await read("README.md");
  assert.ok(readme.includes(`COPY --from=${config.image}:${version} /lambda-adapter`));
  assert.ok(readme.includes("docs/layers.md"));
  const workflow = await read(".github/workflows/release.yml");
  assert.ok(workflow.includes("jq -r .image release/publish.json"));
  assert.ok(workflow.includes("scripts/publish_layers.ts"));
});
