// deno-lint-ignore-file no-console -- a release script reports what it does
/**
 * Publishes the layer zips (`deno task layer`) in every region of release/publish.json with the
 * AWS CLI, readable by every account, then writes release/layers.json and docs/layers.md.
 *
 * For each region and architecture: `aws lambda publish-layer-version` (compatible architecture,
 * licence, a description naming the release), then `aws lambda add-layer-version-permission
 * --principal '*'` for `lambda:GetLayerVersion`. A layer version whose description already names
 * this release is reused instead of published again, so a re-run after a partial failure (a region
 * not enabled in the account, a throttled call) does not give the other regions new numbers.
 *
 * Usage: deno run --allow-read --allow-write --allow-run scripts/publish_layers.ts
 *          [--version=X.Y.Z] [--dist=DIR]
 * Needs AWS credentials allowed to call those three Lambda actions in every listed region.
 *
 * @module
 */

import { LAMBDA_ARCHES, type LambdaArch, loadReleaseConfig } from "./release_config.ts";
import type { ReleaseConfig } from "./release_config.ts";
import {
  formatMarkdown,
  LAYERS_DOC_URL,
  LAYERS_RECORD_URL,
  type PublishedLayer,
  renderLayersDoc,
} from "./release_docs.ts";

/** What one `aws` call returned. */
export interface AwsResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}
/** Runs `aws <args>`; injected so the publishing logic is tested without AWS. */
export type AwsRunner = (args: readonly string[]) => Promise<AwsResult>;

/** Lambda refuses a zip above 50 MB sent in the request (larger ones go through S3). */
export const DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024;
/** The statement that makes a layer version public. */
export const PUBLIC_STATEMENT_ID = "public-read";

/** What a run asks for. */
export interface PublishPlan {
  readonly config: ReleaseConfig;
  readonly version: string;
  /** The zip of each architecture. */
  readonly zips: Readonly<Record<LambdaArch, string>>;
  readonly aws: AwsRunner;
  /** Regions worked on at once. */
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}

/** A region and architecture that could not be published. */
export interface PublishFailure {
  readonly region: string;
  readonly arch: LambdaArch;
  readonly message: string;
}

/** The description a release gives its layer versions; also how a re-run recognises them. */
export function layerDescription(version: string, arch: LambdaArch): string {
  return `lambda-adapter (Deno) ${version} for ${arch}`;
}

/** Publishes every region and architecture; never throws for one that fails. */
export async function publishLayers(
  plan: PublishPlan,
): Promise<{ published: PublishedLayer[]; failures: PublishFailure[] }> {
  const tasks = plan.config.regions.flatMap((region) =>
    LAMBDA_ARCHES.map((arch) => ({ region, arch }))
  );
  const published: PublishedLayer[] = [];
  const failures: PublishFailure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const { region, arch } = tasks[next++]!;
      try {
        const layer = await publishOne(plan, region, arch);
        published.push(layer);
        plan.log?.(`${region} ${arch}: ${layer.arn}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push({ region, arch, message });
        plan.log?.(`${region} ${arch}: FAILED ${message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency ?? 4 }, worker));
  const order = (layer: { region: string; arch: LambdaArch }) =>
    plan.config.regions.indexOf(layer.region) * 2 + LAMBDA_ARCHES.indexOf(layer.arch);
  published.sort((a, b) => order(a) - order(b));
  failures.sort((a, b) => order(a) - order(b));
  return { published, failures };
}

async function publishOne(
  plan: PublishPlan,
  region: string,
  arch: LambdaArch,
): Promise<PublishedLayer> {
  const name = plan.config.layers[arch];
  const description = layerDescription(plan.version, arch);
  const common = ["--region", region, "--layer-name", name, "--output", "json"];
  const listed = await call(plan.aws, ["lambda", "list-layer-versions", ...common]);
  const versions = (listed.LayerVersions ?? []) as {
    Version: number;
    LayerVersionArn: string;
    Description?: string;
  }[];
  let found = versions.find((item) => item.Description === description);
  if (!found) {
    found = await call(plan.aws, [
      "lambda",
      "publish-layer-version",
      ...common,
      "--description",
      description,
      "--license-info",
      plan.config.licence,
      "--compatible-architectures",
      arch,
      "--zip-file",
      `fileb://${plan.zips[arch]}`,
    ]) as unknown as typeof versions[number];
  }
  if (typeof found.Version !== "number" || typeof found.LayerVersionArn !== "string") {
    throw new Error(`unexpected answer from AWS: ${JSON.stringify(found)}`);
  }
  const permission = await plan.aws([
    "lambda",
    "add-layer-version-permission",
    ...common,
    "--version-number",
    String(found.Version),
    "--statement-id",
    PUBLIC_STATEMENT_ID,
    "--action",
    "lambda:GetLayerVersion",
    "--principal",
    "*",
  ]);
  // A reused version already carries the statement; Lambda answers that with a conflict.
  if (!permission.ok && !permission.stderr.includes("ResourceConflictException")) {
    throw new Error(`add-layer-version-permission: ${permission.stderr.trim()}`);
  }
  return { region, arch, name, version: found.Version, arn: found.LayerVersionArn };
}

async function call(aws: AwsRunner, args: string[]): Promise<Record<string, unknown>> {
  const result = await aws(args);
  if (!result.ok) throw new Error(`${args[1]}: ${result.stderr.trim() || "failed"}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** Runs the real AWS CLI. */
export const awsCli: AwsRunner = async (args) => {
  const { success, stdout, stderr } = await new Deno.Command("aws", { args: [...args] }).output();
  const text = new TextDecoder();
  return { ok: success, stdout: text.decode(stdout), stderr: text.decode(stderr) };
};

async function main(args: string[]) {
  const option = (name: string) =>
    args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const root = new URL("../", import.meta.url);
  const deno = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const version = option("version") ?? deno.version as string;
  const dist = option("dist") ?? new URL("dist", root).pathname;
  const config = await loadReleaseConfig();
  const zips = { x86_64: "", arm64: "" } as Record<LambdaArch, string>;
  for (const arch of LAMBDA_ARCHES) {
    zips[arch] = `${dist}/lambda-adapter-layer-${arch}.zip`;
    const size = (await Deno.stat(zips[arch])).size;
    if (size > DIRECT_UPLOAD_LIMIT) {
      console.error(`${zips[arch]} is ${size} bytes, above Lambda's 50 MB direct upload limit`);
      Deno.exit(1);
    }
  }
  const { published, failures } = await publishLayers({
    config,
    version,
    zips,
    aws: awsCli,
    log: (line) => console.log(line),
  });
  const record = { release: version, layers: published };
  await Deno.writeTextFile(LAYERS_RECORD_URL, `${JSON.stringify(record, null, 2)}\n`);
  await Deno.writeTextFile(LAYERS_DOC_URL, await formatMarkdown(renderLayersDoc(config, record)));
  console.log(`wrote ${LAYERS_RECORD_URL.pathname} and ${LAYERS_DOC_URL.pathname}`);
  for (const failure of failures) {
    console.log(
      `::error title=Layer not published::${failure.region} ${failure.arch}: ${failure.message}`,
    );
  }
  if (failures.length > 0) Deno.exit(1);
}

if (import.meta.main) await main(Deno.args);
