/**
 * release/publish.json: where a release goes. The one place that names the ECR Public image, the
 * layer of each architecture, the licence the layers carry, and the regions they are published in.
 * The release workflow, scripts/publish_layers.ts, the templates' tests and docs/layers.md read it.
 *
 * @module
 */

/** Lambda's names for the architectures. */
export type LambdaArch = "x86_64" | "arm64";
/** Both architectures, in the order tables list them. */
export const LAMBDA_ARCHES: readonly LambdaArch[] = ["x86_64", "arm64"];

/** A parsed and checked release/publish.json. */
export interface ReleaseConfig {
  /** The image without a tag, e.g. `public.ecr.aws/<alias>/<name>`. */
  readonly image: string;
  /** The layer name for each architecture. */
  readonly layers: Readonly<Record<LambdaArch, string>>;
  /** The layers' LicenseInfo (Lambda allows 512 characters). */
  readonly licence: string;
  /** Commercial regions, each once. */
  readonly regions: readonly string[];
}

/** Where the file lives. */
export const RELEASE_CONFIG_URL = new URL("../release/publish.json", import.meta.url);

const IMAGE = /^public\.ecr\.aws\/[a-z0-9][a-z0-9_-]{1,49}\/[a-z0-9]+(?:[._/-][a-z0-9]+)*$/;
// Lambda's pattern for a layer name, shortened to what fits an unqualified name.
const LAYER_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const REGION = /^[a-z]{2}-[a-z]+-\d$/;
// China and GovCloud are other partitions with other accounts: not published from here.
const OTHER_PARTITION = /^(cn|us-gov|us-iso[a-z]*|eu-isoe)-/;

/** Checks the parsed JSON and returns a frozen config, or throws naming what is wrong. */
export function parseReleaseConfig(json: unknown): ReleaseConfig {
  const problems: string[] = [];
  const record = (json ?? {}) as Record<string, unknown>;
  const image = record.image;
  if (typeof image !== "string" || !IMAGE.test(image)) {
    problems.push(`image must be public.ecr.aws/<alias>/<name> without a tag, got ${show(image)}`);
  }
  const layers = (record.layers ?? {}) as Record<string, unknown>;
  for (const arch of LAMBDA_ARCHES) {
    const name = layers[arch];
    if (typeof name !== "string" || !LAYER_NAME.test(name)) {
      problems.push(`layers.${arch} must be a layer name ([A-Za-z0-9_-], 1-64), got ${show(name)}`);
    }
  }
  if (layers.x86_64 !== undefined && layers.x86_64 === layers.arm64) {
    problems.push("layers.x86_64 and layers.arm64 must differ");
  }
  const licence = record.licence;
  if (typeof licence !== "string" || licence.trim() === "" || licence.length > 512) {
    problems.push(`licence must be a non-empty string of at most 512 characters`);
  }
  const regions = record.regions;
  if (!Array.isArray(regions) || regions.length === 0) {
    problems.push("regions must be a non-empty list");
  } else {
    const seen = new Set<string>();
    for (const region of regions) {
      if (typeof region !== "string" || !REGION.test(region) || OTHER_PARTITION.test(region)) {
        problems.push(`regions: ${show(region)} is not a commercial region name`);
      } else if (seen.has(region)) problems.push(`regions: ${region} is listed twice`);
      seen.add(region as string);
    }
  }
  if (problems.length > 0) {
    throw new Error(`release/publish.json is invalid:\n  ${problems.join("\n  ")}`);
  }
  return Object.freeze({
    image: image as string,
    layers: Object.freeze({ x86_64: layers.x86_64 as string, arm64: layers.arm64 as string }),
    licence: licence as string,
    regions: Object.freeze([...(regions as string[])]),
  });
}

/** Reads and checks release/publish.json. */
export async function loadReleaseConfig(url: URL = RELEASE_CONFIG_URL): Promise<ReleaseConfig> {
  return parseReleaseConfig(JSON.parse(await Deno.readTextFile(url)));
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
