/**
 * The Flask example (the folder above) as a container image function. Its Dockerfile copies the
 * adapter from public.ecr.aws/lambda-adapter-deno/lambda-adapter:<lambdaAdapterVersion>; the
 * Function URL streams (RESPONSE_STREAM, AWS_LWA_INVOKE_MODE=response_stream), so /stream arrives
 * line by line.
 */
import { fileURLToPath } from "node:url";
import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import { Platform } from "aws-cdk-lib/aws-ecr-assets";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";

/** What the app chooses. */
export interface FlaskStackProps extends StackProps {
  /** Tag of the lambda-adapter image, e.g. "0.1.0". */
  readonly lambdaAdapterVersion: string;
  readonly architecture: "x86_64" | "arm64";
}

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** One function and its URL. */
export class FlaskStack extends Stack {
  constructor(scope: Construct, id: string, props: FlaskStackProps) {
    super(scope, id, props);
    const arm64 = props.architecture === "arm64";
    const fn = new lambda.DockerImageFunction(this, "FlaskFunction", {
      code: lambda.DockerImageCode.fromImageAsset(APP_DIR, {
        buildArgs: { LAMBDA_ADAPTER_VERSION: props.lambdaAdapterVersion },
        platform: arm64 ? Platform.LINUX_ARM64 : Platform.LINUX_AMD64,
        // This CDK app and its node_modules are no part of the image.
        exclude: ["cdk"],
      }),
      architecture: arm64 ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: { AWS_LWA_INVOKE_MODE: "response_stream" },
    });
    const url = fn.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
      invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
    });
    new CfnOutput(this, "FunctionUrl", { value: url.url });
  }
}
