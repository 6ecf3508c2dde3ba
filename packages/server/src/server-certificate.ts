/**
 * A node's TLS identity, PEM text: both listeners serve TLS with it when given (HTTPS on
 * the HTTP/1.1 port, HTTP/2 over TLS with ALPN h2 on the gRPC port).
 */
export interface ServerCertificate {
  /** The certificate chain: this node's certificate, then any intermediates. */
  cert: string;
  /** The private key of the certificate. */
  key: string;
}
