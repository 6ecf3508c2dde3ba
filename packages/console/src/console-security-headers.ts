import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * The headers of every console response. The CSP allows this origin's files only: no
 * inline script or style (the page has none, so an injected `<script>` or `onerror=`
 * attribute does not run), no framing, no native form submission (the page's forms are
 * sent by its script, as Connect JSON). The session token lives in sessionStorage and goes
 * out as a bearer header, never as a cookie, so there is no CSRF surface to defend.
 */
export function consoleSecurityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    xContentTypeOptions: true,
    xFrameOptions: "DENY",
    crossOriginOpenerPolicy: "same-origin",
    crossOriginResourcePolicy: "same-origin",
    // Not an HTTPS-only deployment necessarily: a plain-HTTP node must not pin HSTS.
    strictTransportSecurity: false,
  });
}
