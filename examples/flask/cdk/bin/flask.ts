/**
 * The CDK app: `npx cdk deploy` from this folder, with `-c lambdaAdapterVersion=X.Y.Z` to pick the
 * release of public.ecr.aws/lambda-adapter-deno/lambda-adapter and `-c architecture=arm64` for
 * Graviton. The defaults are in cdk.json.
 */
import { App } from "aws-cdk-lib";
import { FlaskStack } from "../lib/flask_stack.ts";

const app = new App();
const architecture = app.node.getContext("architecture");
if (architecture !== "x86_64" && architecture !== "arm64") {
  throw new Error(`architecture must be x86_64 or arm64, got ${JSON.stringify(architecture)}`);
}
new FlaskStack(app, "LambdaAdapterFlask", {
  lambdaAdapterVersion: String(app.node.getContext("lambdaAdapterVersion")),
  architecture,
  description:
    "A Flask app in a container image with lambda-adapter, behind a streaming Function URL",
});
