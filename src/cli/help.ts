/**
 * `lambda-adapter --help`.
 *
 * @module
 */

import { EVENT_SOURCES } from "./event_shapes.ts";

/** The text `--help` prints; its options are the ones args.ts parses. */
export const HELP = `lambda-adapter: run web apps on AWS Lambda (a Lambda Web Adapter drop-in).

In Lambda it runs as the extension /opt/extensions/lambda-adapter, configured by AWS_LWA_*
variables (see the README). On your machine it has two commands:

lambda-adapter emulate [options] -- <command that starts the app>
  Runs your app exactly as Lambda will: starts a Lambda Runtime API emulator, the adapter
  against it, and your app with the environment Lambda gives it (AWS_LAMBDA_RUNTIME_API,
  AWS_LAMBDA_FUNCTION_NAME, _HANDLER, LAMBDA_TASK_ROOT, AWS_REGION ...). Every AWS_LWA_*
  variable you set applies. Plain HTTP requests to the front door become events of the chosen
  shape; results come back as HTTP responses (streamed ones as they arrive). Lambda's limits
  apply: 10 s init, the function timeout, 6 MB buffered and 200 MB streamed responses,
  concurrency 1 unless --concurrency. After each invocation a REPORT line gives its duration
  and the peak memory of the adapter and the app's whole process tree (Max Memory Used), as
  Lambda's log does. Ctrl-C stops everything.

  --port <n>            front door port (default 9000)
  --host <address>      front door address (default 127.0.0.1)
  --event-source <s>    ${EVENT_SOURCES.join(", ")}
                        (default function-url)
  --timeout <seconds>   function timeout (default AWS_LAMBDA_FUNCTION_TIMEOUT, else 3); an
                        invocation running past 2 s prints a progress line every 2 s
  --memory <mb>         the function's memory size (default AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
                        else 128, as Lambda); a REPORT over it prints a warning
  --enforce-memory      end the environment when it passes --memory, as Lambda does
                        (Runtime.ExitError "signal: killed"); the next request gets a new one
  --env-file <file>     read variables from a .env file (may be repeated; variables already
                        set in your shell win)
  --concurrency <n>     invocations at once, as on Lambda Managed Instances (default 1)
  --function-name <s>   (default AWS_LAMBDA_FUNCTION_NAME, else the directory's name)
  --region <r>          (default AWS_REGION, else us-east-1)
  --handler <h>         _HANDLER given to the app (default run.sh)
  --inspect[=<port>]    serve a page on http://127.0.0.1:<port> (default 9001) that shows
                        every invocation live: the event, the request the app received, its
                        response, the Lambda result and the log lines; with replay, edit and
                        send, and save as fixture. Keeps the last 200 invocations
  --inspect-show-secrets  show Authorization, Cookie, X-Api-Key and *token* header values
                        on that page (masked by default)

  Also: POST ${"/2015-03-31/functions/function/invocations"} with an event as the body invokes the
  function with it and answers the raw result, as AWS's Runtime Interface Emulator does.

  Examples:
    lambda-adapter emulate -- node index.js
    AWS_LWA_PORT=5000 lambda-adapter emulate --event-source alb -- python3 -m flask run -p 5000
    AWS_LWA_INVOKE_MODE=response_stream lambda-adapter emulate -- deno run -A main.ts
    lambda-adapter emulate --memory 256 --enforce-memory --env-file .env -- node index.js

lambda-adapter invoke [--url <front door>] [--event <file.json>] [<file.json | folder> ...]
  Sends saved events to a running emulator. One event (a file, or standard input when none
  is given): prints its result. Several files or a folder (every .json file in it and its
  subfolders, in order): prints a table of file, event source, status or errorType, duration
  and result size. Exits 1 when any invocation failed. --url defaults to http://127.0.0.1:9000.

lambda-adapter --help | --version
`;
