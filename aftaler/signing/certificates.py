"""Certificate files a user gives (`verify --trust`): read, or told apart from what they
are instead (a private key, a PKCS#12 bundle, a PDF), in words."""

from __future__ import annotations

import re

# PEM block labels (RFC 7468) of things that are not certificates, in words.
_NOT_CERTIFICATES = {
    "PRIVATE KEY": "a private key", "RSA PRIVATE KEY": "a private key",
    "EC PRIVATE KEY": "a private key", "ENCRYPTED PRIVATE KEY": "a private key",
    "PUBLIC KEY": "a public key", "CERTIFICATE REQUEST": "a certificate request",
    "NEW CERTIFICATE REQUEST": "a certificate request", "X509 CRL": "a revocation list",
}
_CERTIFICATES = ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE")


class NotACertificate(ValueError):
    """The file holds no certificate; the message says what it holds, if that is known."""


def read_certificates(data: bytes) -> list:
    """Every certificate in a PEM or DER file, as asn1crypto certificates (pyHanko's).

    Raises NotACertificate, saying what the file is when it can tell.
    """
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    if b"-----BEGIN" in data:
        labels = re.findall(rb"-----BEGIN ([A-Z0-9 ]+)-----", data)
        kinds = [label.decode() for label in labels]
        if not any(kind in _CERTIFICATES for kind in kinds):
            what = next((_NOT_CERTIFICATES[k] for k in kinds if k in _NOT_CERTIFICATES),
                        f"a PEM block of {kinds[0]}" if kinds else "a damaged PEM block")
            raise NotACertificate(f"holds {what}, not a certificate")
        try:
            certificates = x509.load_pem_x509_certificates(data)
        except ValueError:
            raise NotACertificate("holds a damaged certificate (PEM)") from None
    else:
        try:
            certificates = [x509.load_der_x509_certificate(data)]
        except ValueError:
            raise NotACertificate(_what_else(data)) from None
    return [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in certificates]


def _what_else(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "is a PDF, not a certificate"
    if not data.strip():
        return "is empty, not a certificate"
    if _is_pkcs12(data):
        return "is a PKCS#12 bundle (.p12/.pfx) with a private key, not a certificate"
    return "is not a certificate (neither PEM nor DER X.509)"


def _is_pkcs12(data: bytes) -> bool:
    """A PKCS#12 file: a DER sequence starting with version 3 and PKCS#7 data."""
    # SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data, ... } }
    return data[:1] == b"\x30" and b"\x02\x01\x03\x30" in data[:16] and \
        b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01" in data[:32]
