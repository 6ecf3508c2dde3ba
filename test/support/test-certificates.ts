import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A throwaway CA and one node certificate it signed, as PEM files (and the CA's PEM text). */
export interface TestCertificates {
  /** The CA certificate: VECTRON_TLS_CA, and what clients trust. */
  caFile: string;
  ca: string;
  /** The node's certificate and key: VECTRON_TLS_CERT and VECTRON_TLS_KEY. */
  certFile: string;
  keyFile: string;
}

/**
 * Makes a CA and a certificate for 127.0.0.1 and localhost with the `openssl` CLI in
 * `dir` (the commands README "TLS" shows), valid for two days. EC P-256 keys: quick to
 * make, and every TLS stack here (Bun, node:http2, grpc-js) takes them.
 */
export function createTestCertificates(dir: string): TestCertificates {
  const file = (name: string) => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", ...ec, "-days", "2", "-subj", "/CN=Vectron test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    "-keyout", file("ca.key"), "-out", file("ca.pem")]);
  openssl(["req", ...ec, "-subj", "/CN=vectron node", "-keyout", file("node.key"), "-out", file("node.csr")]);
  writeFileSync(file("node.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
  openssl(["x509", "-req", "-in", file("node.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial",
    "-days", "2", "-extfile", file("node.ext"), "-out", file("node.pem")]);
  return { caFile: file("ca.pem"), ca: readFileSync(file("ca.pem"), "utf8"), certFile: file("node.pem"), keyFile: file("node.key") };
}

function openssl(args: string[]): void {
  const run = Bun.spawnSync(["openssl", ...args], { stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`openssl ${args[0]} failed:\n${run.stderr.toString()}`);
}
