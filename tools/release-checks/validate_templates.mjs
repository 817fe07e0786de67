// deno-lint-ignore-file no-console -- a command-line tool prints its findings
/**
 * Validates CloudFormation and SAM templates offline, and prints one JSON line per template:
 * {"file", "findings": [{"rule", "severity", "where", "message"}]}.
 *
 * Two checks, because neither covers everything alone:
 * - AWS's own validator, @aws/cloudformation-validate (cfn-lint's rules with the CloudFormation
 *   resource schemas, compiled to WebAssembly): template structure, parameters, every Ref, Sub
 *   and GetAtt, and the schema of each plain CloudFormation resource (the Function URL, the IAM
 *   role and the function a CDK app synthesizes). It does not check the properties of
 *   AWS::Serverless::* resources.
 * - For those, the SAM resource specification that the AWS CDK generates its aws-sam classes from
 *   (@aws-cdk/aws-service-spec): every property must exist, have the right shape, and required
 *   properties must be there, down through nested types.
 *
 * Usage: node validate_templates.mjs TEMPLATE...
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { CelEngine, TemplateFile, TemplateModel } from "@aws/cloudformation-validate";

const require = createRequire(import.meta.url);
const spec = JSON.parse(
  gunzipSync(readFileSync(require.resolve("@aws-cdk/aws-service-spec/db.json.gz"))),
);
const typeDefinitions = new Map(spec.schema.typeDefinition.entities.map((t) => [t.$id, t]));
const samResources = new Map(
  spec.schema.resource.entities
    .filter((r) => r.cloudFormationType.startsWith("AWS::Serverless::"))
    .map((r) => [r.cloudFormationType, r]),
);

const UNKNOWN = Symbol("known only at deploy time");
const EITHER = Symbol("one of");

/** The validator's resolved value as plain JSON, with UNKNOWN and {[EITHER]: [...]} where needed. */
function plain(value) {
  if ("Concrete" in value) return value.Concrete.value;
  if ("List" in value) return value.List.items.map(plain);
  if ("Map" in value) {
    return Object.fromEntries(value.Map.entries.map(({ key, value }) => [key, plain(value)]));
  }
  if ("Conditional" in value) {
    return { [EITHER]: [plain(value.Conditional.if_true), plain(value.Conditional.if_false)] };
  }
  if ("Enum" in value) return { [EITHER]: value.Enum.variants.map(plain) };
  return UNKNOWN;
}

/** Problems of `value` against a spec type, as "path: message" strings. */
function check(type, value, path) {
  if (value === UNKNOWN) return [];
  if (value !== null && typeof value === "object" && EITHER in value) {
    return value[EITHER].flatMap((option) => check(type, option, path));
  }
  const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
  switch (type.type) {
    case "json":
      return [];
    case "string":
    case "date-time":
      return isObject || Array.isArray(value) ? [`${path}: expected a string`] : [];
    case "number":
    case "integer":
      return typeof value === "number" || (typeof value === "string" && value.trim() !== "" &&
          !Number.isNaN(Number(value)))
        ? []
        : [`${path}: expected a number, got ${JSON.stringify(value)}`];
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false"
        ? []
        : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
    case "array":
      return Array.isArray(value)
        ? value.flatMap((item, i) => check(type.element, item, `${path}.${i}`))
        : [`${path}: expected a list`];
    case "map":
      return isObject
        ? Object.entries(value).flatMap(([key, item]) =>
          check(type.element, item, `${path}.${key}`)
        )
        : [`${path}: expected a map`];
    case "ref": {
      const definition = typeDefinitions.get(type.reference.$ref);
      return isObject
        ? checkProperties(definition.properties, value, path)
        : [`${path}: expected ${definition.name}`];
    }
    case "union": {
      const results = type.types.map((option) => check(option, value, path));
      if (results.some((problems) => problems.length === 0)) return [];
      // Report against the alternative of the same shape, which is the one that was meant.
      const sameShape = type.types.findIndex((option) =>
        (option.type === "ref" || option.type === "map") === isObject
      );
      return results[sameShape >= 0 ? sameShape : 0];
    }
    default:
      return [`${path}: the specification has a type this checker does not know (${type.type})`];
  }
}

function checkProperties(properties, value, path) {
  const problems = [];
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      const known = Object.keys(properties).join(", ");
      problems.push(`${path}.${name}: not a property here (known: ${known})`);
    } else problems.push(...check(property.type, item, `${path}.${name}`));
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) problems.push(`${path}.${name}: required`);
  }
  return problems;
}

/** SAM's own resources: property names, shapes and required properties. */
function samFindings(template) {
  const model = new TemplateModel(template);
  const findings = [];
  try {
    for (const [id, resource] of Object.entries(model.resources())) {
      if (!resource.resourceType.startsWith("AWS::Serverless::")) continue;
      const definition = samResources.get(resource.resourceType);
      const problems = definition
        ? checkProperties(
          definition.properties,
          plain({ Map: { entries: entriesOf(resource) } }),
          "Properties",
        )
        : [`Type: ${resource.resourceType} is not a SAM resource type`];
      for (const message of problems) {
        findings.push({ rule: "SAM", severity: "ERROR", where: id, message });
      }
    }
  } finally {
    model.free();
  }
  return findings;
}

function entriesOf(resource) {
  return Object.entries(resource.properties).map(([key, value]) => ({ key, value }));
}

/**
 * SAM adds resources of its own that templates may name: `<Function>Url` for a function with
 * FunctionUrlConfig, `<Function>Role` without a Role (SAM's "generated AWS CloudFormation
 * resources"). The validator does not run the transform, so a GetAtt to them looks dangling.
 */
function samGeneratedIds(template) {
  const model = new TemplateModel(template);
  try {
    const ids = new Set();
    for (const [id, resource] of Object.entries(model.resources())) {
      if (resource.resourceType !== "AWS::Serverless::Function") continue;
      if ("FunctionUrlConfig" in resource.properties) ids.add(`${id}Url`);
      if (!("Role" in resource.properties)) ids.add(`${id}Role`);
    }
    return ids;
  } finally {
    model.free();
  }
}

const engine = new CelEngine();
try {
  for (const file of process.argv.slice(2)) {
    const template = new TemplateFile(file);
    const generated = samGeneratedIds(template);
    const report = engine.validateStandard(template, { severityLevel: "WARN" });
    const findings = report.diagnostics
      .filter((d) =>
        !(d.ruleId === "F6101" && [...generated].some((id) => d.message.includes(`'${id}.`)))
      )
      .map((d) => ({
        rule: d.ruleId,
        severity: d.severity,
        where: [d.entity?.logicalId, d.propertyPath, d.startLine && `line ${d.startLine}`]
          .filter(Boolean).join(" "),
        message: d.message,
      }));
    if (report.status !== "OK") {
      findings.push({ rule: "STATUS", severity: "ERROR", where: "", message: report.status });
    }
    findings.push(...samFindings(template));
    console.log(JSON.stringify({ file, findings }));
  }
} finally {
  engine.free();
}
