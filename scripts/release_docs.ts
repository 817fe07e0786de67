// deno-lint-ignore-file no-console -- a build script reports what it wrote
/**
 * What a release tells its users: docs/layers.md (the layer ARN of every region and architecture)
 * and the release notes (the image reference and the same table). Both are rendered from
 * release/layers.json, which scripts/publish_layers.ts writes.
 *
 * Usage: deno run --allow-read --allow-write --allow-run scripts/release_docs.ts notes --version=X.Y.Z \
 *          --image=REF [--image=REF]... --out=FILE
 *        deno run --allow-read --allow-write --allow-run scripts/release_docs.ts layers   (rewrites docs/layers.md)
 *
 * @module
 */

import {
  LAMBDA_ARCHES,
  type LambdaArch,
  loadReleaseConfig,
  type ReleaseConfig,
} from "./release_config.ts";

/** One published layer version. */
export interface PublishedLayer {
  readonly region: string;
  readonly arch: LambdaArch;
  readonly name: string;
  readonly version: number;
  readonly arn: string;
}

/** release/layers.json: the layers of the last release that published them. */
export interface LayersRecord {
  /** The release (X.Y.Z), or null before the first. */
  readonly release: string | null;
  readonly layers: readonly PublishedLayer[];
}

/** Where the record and the page live. */
export const LAYERS_RECORD_URL = new URL("../release/layers.json", import.meta.url);
export const LAYERS_DOC_URL = new URL("../docs/layers.md", import.meta.url);

/** The table of ARNs, one row per region in the config's order. */
export function layersTable(config: ReleaseConfig, layers: readonly PublishedLayer[]): string {
  const lines = [
    `| Region | ${LAMBDA_ARCHES.join(" | ")} |`,
    `| --- | ${LAMBDA_ARCHES.map(() => "---").join(" | ")} |`,
  ];
  for (const region of config.regions) {
    const cells = LAMBDA_ARCHES.map((arch) => {
      const layer = layers.find((item) => item.region === region && item.arch === arch);
      return layer ? `\`${layer.arn}\`` : "not published";
    });
    lines.push(`| ${region} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** "account A, version N in every region", when the ARNs agree on them. */
function commonParts(layers: readonly PublishedLayer[]): string | undefined {
  const accounts = new Set(layers.map((layer) => layer.arn.split(":")[4]));
  const versions = new Set(layers.map((layer) => layer.version));
  if (layers.length === 0 || accounts.size !== 1 || versions.size !== 1) return undefined;
  return `account \`${[...accounts][0]}\`, layer version \`${[...versions][0]}\` in every region`;
}

/** docs/layers.md. */
export function renderLayersDoc(config: ReleaseConfig, record: LayersRecord): string {
  const names = LAMBDA_ARCHES.map((arch) => `\`${config.layers[arch]}\` (${arch})`).join(" and ");
  const intro = [
    "<!-- Written by scripts/publish_layers.ts from release/layers.json at each release. -->",
    "# Lambda layers",
    "",
    `The release workflow publishes two layers, ${names},`,
    "in every region listed in `release/publish.json`, readable by every AWS account. Attach the",
    "ARN for your function's",
    "region and architecture, set `AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap` and make the handler your",
    "start script (`run.sh`); `examples/express-zip/template.yaml` does all three.",
    "",
  ];
  if (record.release === null || record.layers.length === 0) {
    return [
      ...intro,
      "No release has published the layers yet. Until one does, publish the layer zip in your own",
      "account (`aws lambda publish-layer-version`, see docs/development.md) and use that ARN.",
      "",
    ].join("\n");
  }
  const common = commonParts(record.layers);
  return [
    ...intro,
    `Release **${record.release}**${common ? `: ${common}` : ""}. The same table as JSON is in`,
    "`release/layers.json`; `aws lambda get-layer-version-by-arn --arn <ARN>` shows one.",
    "",
    layersTable(config, record.layers),
    "",
  ].join("\n");
}

/** The part of the release notes written before GitHub's generated list of changes. */
export function renderReleaseNotes(
  config: ReleaseConfig,
  version: string,
  images: readonly string[],
  record: LayersRecord,
): string {
  const [first] = images;
  const lines = ["## Container image", ""];
  if (first) {
    lines.push(
      "```dockerfile",
      `COPY --from=${first}:${version} /lambda-adapter /opt/extensions/lambda-adapter`,
      "```",
      "",
      `linux/amd64 and linux/arm64, tagged \`${version}\`, \`${
        minorOf(version)
      }\` and \`latest\`: ` +
        images.map((image) => `\`${image}\``).join(", ") + ".",
    );
  } else lines.push("No image was pushed for this release.");
  lines.push("", "## Lambda layers", "");
  if (record.release === version && record.layers.length > 0) {
    const common = commonParts(record.layers);
    if (common) lines.push(`${common[0]!.toUpperCase()}${common.slice(1)}.`, "");
    lines.push(layersTable(config, record.layers));
  } else {
    lines.push(
      "Not published to AWS by this release; the layer zips are attached below " +
        "(`aws lambda publish-layer-version` publishes one in your account).",
    );
  }
  return `${lines.join("\n")}\n`;
}

function minorOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/**
 * `deno fmt` of a Markdown text, with the project's settings: the pages it writes are formatted as
 * `deno fmt --check` wants them, so a release never leaves the tree unformatted.
 */
export async function formatMarkdown(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    cwd: new URL("../", import.meta.url).pathname,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { success, stdout, stderr } = await child.output();
  if (!success) throw new Error(`deno fmt: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

/** Reads release/layers.json. */
export async function loadLayersRecord(url: URL = LAYERS_RECORD_URL): Promise<LayersRecord> {
  return JSON.parse(await Deno.readTextFile(url)) as LayersRecord;
}

async function main(args: string[]) {
  const config = await loadReleaseConfig();
  const record = await loadLayersRecord();
  const option = (name: string) =>
    args.filter((arg) => arg.startsWith(`--${name}=`)).map((arg) => arg.slice(name.length + 3));
  if (args[0] === "layers") {
    await Deno.writeTextFile(LAYERS_DOC_URL, await formatMarkdown(renderLayersDoc(config, record)));
    console.log(`wrote ${LAYERS_DOC_URL.pathname}`);
  } else if (args[0] === "notes" && option("version")[0] && option("out")[0]) {
    const notes = await formatMarkdown(
      renderReleaseNotes(config, option("version")[0]!, option("image"), record),
    );
    await Deno.writeTextFile(option("out")[0]!, notes);
    console.log(`wrote ${option("out")[0]}`);
  } else {
    console.error(
      "usage: release_docs.ts layers | notes --version=X.Y.Z --image=REF... --out=FILE",
    );
    Deno.exit(2);
  }
}

if (import.meta.main) await main(Deno.args);
