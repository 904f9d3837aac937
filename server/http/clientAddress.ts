/**
 * The client's address for per-address limits. Directly connected, it is the TCP peer.
 * Behind a reverse proxy every request comes from the proxy, so the operator names the
 * header that proxy sets (`--trusted-proxy-header x-forwarded-for`); only then is a header
 * believed, and only its last entry — the address the trusted proxy itself saw (nginx's
 * `$proxy_add_x_forwarded_for` appends it), since anything before it came from the client
 * and can be forged. Read synchronously: uWS frees the request after the handler returns.
 */
import type { HttpRequest, HttpResponse } from '../uws.js';

const ADDRESS = /^[0-9A-Fa-f:.]{2,45}$/;

export function clientAddress(res: HttpResponse, req: HttpRequest, trustedProxyHeader: string | null): string {
  if (trustedProxyHeader) {
    const header = req.getHeader(trustedProxyHeader);
    const last = header.slice(header.lastIndexOf(',') + 1).trim();
    if (ADDRESS.test(last)) return last;
  }
  return Buffer.from(res.getRemoteAddressAsText()).toString();
}
