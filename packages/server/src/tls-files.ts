import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ServerCertificate } from "./server-certificate";

/** Where a node's certificate and key are (PEM files). */
export interface ServerCertificateFiles {
  certFile: string;
  keyFile: string;
}

/** Names for the files in error messages, e.g. the environment variables that gave them. */
export interface ServerCertificateLabels {
  cert: string;
  key: string;
}

/**
 * Reads a node's certificate and private key and checks, before any listener starts,
 * that the first is a PEM certificate, the second a PEM private key (unencrypted) and
 * that they belong together. Throws an Error naming the label and the file.
 */
export function readServerCertificate(files: ServerCertificateFiles, labels: ServerCertificateLabels): ServerCertificate {
  const cert = readPem(files.certFile, labels.cert);
  const key = readPem(files.keyFile, labels.key);
  const certificate = parseCertificate(cert, files.certFile, labels.cert);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new Error(`${labels.key}: ${files.keyFile} holds no usable PEM private key (${(err as Error).message}; encrypted keys are not supported)`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new Error(`${labels.key}: the key in ${files.keyFile} does not belong to the certificate in ${files.certFile} (${labels.cert})`);
  }
  return { cert, key };
}

/** Reads a PEM bundle of CA certificates to trust (one or more); throws an Error naming the label and the file. */
export function readTrustedCa(file: string, label: string): string {
  const pem = readPem(file, label);
  parseCertificate(pem, file, label);
  return pem;
}

function readPem(file: string, label: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${label}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The first certificate of a PEM file. */
function parseCertificate(pem: string, file: string, label: string): X509Certificate {
  try {
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no BEGIN CERTIFICATE block");
    return new X509Certificate(pem);
  } catch (err) {
    throw new Error(`${label}: ${file} holds no PEM certificate (${(err as Error).message})`);
  }
}
