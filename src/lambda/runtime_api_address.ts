/**
 * The address of the Lambda Runtime API as given in `AWS_LAMBDA_RUNTIME_API`.
 *
 * @module
 */

/** Host, port and path prefix of a Runtime API endpoint. */
export interface RuntimeApiAddress {
  /** Host name or IP address (an IPv6 address without brackets). */
  readonly hostname: string;
  /** TCP port. */
  readonly port: number;
  /** Prefix before `/2018-06-01/...`, without a trailing slash; usually empty. */
  readonly basePath: string;
}

/**
 * Parses `host:port` (what Lambda sets) or `http://host:port[/base]` (what proxies such as
 * `AWS_LWA_LAMBDA_RUNTIME_API_PROXY` are often given; LWA#588's docs show both forms).
 *
 * @throws {SyntaxError} when the value is not such an address
 */
export function parseRuntimeApi(value: string): RuntimeApiAddress {
  const text = value.trim();
  if (/^https:/i.test(text)) throw new SyntaxError("the Runtime API is plain HTTP, not HTTPS");
  let url: URL;
  try {
    url = new URL(/^http:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new SyntaxError("expected host:port, such as 127.0.0.1:9001");
  }
  if (url.username || url.password || url.search || url.hash || url.hostname === "") {
    throw new SyntaxError("expected host:port, such as 127.0.0.1:9001");
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return Object.freeze({
    hostname,
    port: url.port === "" ? 80 : Number(url.port),
    basePath: url.pathname.replace(/\/+$/, ""),
  });
}

/** Formats the address as `host:port[/base]`, the form `AWS_LAMBDA_RUNTIME_API` uses. */
export function formatRuntimeApi(address: RuntimeApiAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}${address.basePath}`;
}
