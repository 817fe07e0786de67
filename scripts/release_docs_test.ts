import assert from "node:assert/strict";
import { loadReleaseConfig, parseReleaseConfig } from "./release_config.ts";
import {
  formatMarkdown,
  LAYERS_DOC_URL,
  loadLayersRecord,
  type PublishedLayer,
  renderLayersDoc,
  renderReleaseNotes,
} from "./release_docs.ts";

const CONFIG = parseReleaseConfig({
  image: "public.ecr.aws/example/lambda-adapter",
  layers: { x86_64: "LayerX86", arm64: "LayerArm64" },
  licence: "Apache-2.0",
  regions: ["us-east-1", "eu-west-1"],
});
const layer = (region: string, arch: "x86_64" | "arm64", version: number): PublishedLayer => {
  const name = arch === "x86_64" ? "LayerX86" : "LayerArm64";
  const arn = `arn:aws:lambda:${region}:111122223333:layer:${name}:${version}`;
  return { region, arch, name, version, arn };
};

Deno.test("docs/layers.md is what release/layers.json renders to", async () => {
  const expected = await formatMarkdown(
    renderLayersDoc(await loadReleaseConfig(), await loadLayersRecord()),
  );
  assert.equal(await Deno.readTextFile(LAYERS_DOC_URL), expected);
});

Deno.test("renderLayersDoc() lists every region and says when the numbers agree", () => {
  const all = [
    layer("us-east-1", "x86_64", 3),
    layer("us-east-1", "arm64", 3),
    layer("eu-west-1", "x86_64", 3),
    layer("eu-west-1", "arm64", 3),
  ];
  const doc = renderLayersDoc(CONFIG, { release: "1.2.3", layers: all });
  assert.match(
    doc,
    /Release \*\*1\.2\.3\*\*: account `111122223333`, layer version `3` in every region/,
  );
  assert.ok(doc.includes(
    "| us-east-1 | `arn:aws:lambda:us-east-1:111122223333:layer:LayerX86:3` | " +
      "`arn:aws:lambda:us-east-1:111122223333:layer:LayerArm64:3` |",
  ));
  const uneven = renderLayersDoc(CONFIG, {
    release: "1.2.3",
    layers: [all[0]!, { ...all[2]!, version: 4, arn: all[2]!.arn.replace(/3$/, "4") }],
  });
  assert.ok(!uneven.includes("layer version `"));
  assert.ok(
    uneven.includes(
      "| eu-west-1 | `arn:aws:lambda:eu-west-1:111122223333:layer:LayerX86:4` | not published |",
    ),
  );
  assert.match(renderLayersDoc(CONFIG, { release: null, layers: [] }), /No release has published/);
});

Deno.test("renderReleaseNotes() shows the image line and the layers of this release only", () => {
  const images = ["public.ecr.aws/example/lambda-adapter", "ghcr.io/owner/repo"];
  const record = { release: "1.2.3", layers: [layer("us-east-1", "x86_64", 1)] };
  const notes = renderReleaseNotes(CONFIG, "1.2.3", images, record);
  assert.ok(notes.includes(
    "COPY --from=public.ecr.aws/example/lambda-adapter:1.2.3 /lambda-adapter /opt/extensions/lambda-adapter",
  ));
  assert.ok(notes.includes("tagged `1.2.3`, `1.2` and `latest`"));
  assert.ok(notes.includes("`arn:aws:lambda:us-east-1:111122223333:layer:LayerX86:1`"));
  const older = renderReleaseNotes(CONFIG, "1.3.0", images.slice(1), record);
  assert.ok(older.includes("COPY --from=ghcr.io/owner/repo:1.3.0"));
  assert.match(older, /Not published to AWS by this release/);
  assert.match(renderReleaseNotes(CONFIG, "1.3.0", [], record), /No image was pushed/);
});
