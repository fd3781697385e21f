"""Commands for signatures: sign a field, verify what is signed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import AftalerError, BadInput
from .app import cli, relative

PASSPHRASE_ENV = "AFTALER_P12_PASSPHRASE"


@cli.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--field", required=True, metavar="NAME",
              help="The signature field to sign, e.g. Underskrift_Peter_Soerensen "
                   "(the `verify` command lists them).")
@click.option("--p12", "p12", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The certificate of the person the field is for (OCES or any personal "
                   "certificate), with its private key (PKCS#12: .p12/.pfx).")
@click.option("--timestamp-url", metavar="URL",
              help="An RFC 3161 timestamp authority: the signature becomes PAdES B-T.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the signed PDF (default: next to PDF, "
                   "NAME-underskrevet-N.pdf, N the number of signatures).")
@click.option("--signer-mismatch-ok", is_flag=True,
              help="Sign even though the certificate names someone other than the "
                   "person the field is for (the stamp then shows the certificate's name).")
def sign(pdf: Path, field: str, p12: Path, timestamp_url: str | None,
         output: Path | None, signer_mismatch_ok: bool) -> None:
    """Sign one signature field of PDF with the certificate of the person it is for (PAdES).

    The passphrase of the certificate is read from the environment variable
    AFTALER_P12_PASSPHRASE, or asked for on the terminal (never a command-line
    argument). The signed PDF is a new file; PDF itself stays as it was. Without
    --timestamp-url the signature is PAdES B-B, with it B-T.

    The name on the certificate must be the name of the person the field is for
    (case, æ/ae, ø/oe/o, å/aa/a, accents, spaces and hyphens aside); otherwise
    nothing is signed unless --signer-mismatch-ok is given (e.g. to sign with an
    organisation certificate, which names no person).
    """
    from ..output import write_atomic
    from ..signing.pdffile import Unreadable, check
    from ..signing.sign import SignerMismatch, SigningError, check_signer, load_signer
    from ..signing.sign import sign as sign_pdf

    data = pdf.read_bytes()
    try:  # before asking for the passphrase: a damaged file cannot be signed anyway
        check(data)
    except Unreadable as exc:
        raise BadInput(f"{relative(pdf)}: {exc}") from None
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise BadInput(f"no passphrase for {relative(p12)}: there is no terminal to ask "
                           f"on; set {PASSPHRASE_ENV}")
        passphrase = click.prompt(f"Passphrase for {p12.name}", hide_input=True,
                                  default="", show_default=False, err=True)
    timestamper = None
    if timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url)
    try:
        signer = load_signer(p12.read_bytes(), passphrase.encode(), str(p12))
        if not signer_mismatch_ok:
            check_signer(data, field, signer)
        signed = sign_pdf(data, field, signer, timestamper=timestamper)
    except SignerMismatch as exc:
        holder = (f"is the certificate of {exc.certificate_name}" if exc.certificate_name
                  else "names no one (its certificate has no common name)")
        raise BadInput(f"the field {field} is for {exc.signatory}, but {relative(p12)} "
                       f"{holder}: sign it with {exc.signatory}'s certificate, or give "
                       "--signer-mismatch-ok to sign it with this one anyway") from None
    except SigningError as exc:
        raise BadInput(str(exc)) from None
    except Unreadable as exc:
        raise BadInput(f"{relative(pdf)}: {exc}") from None
    except Exception as exc:
        if timestamper is not None and "imestamp" in type(exc).__name__ + str(exc):
            raise AftalerError(f"the timestamp authority {timestamp_url} did not answer "
                               f"with a timestamp ({type(exc).__name__})") from None
        raise
    target = output or _signed_name(pdf, signed)
    if target.exists():
        raise BadInput(f"{relative(target)} exists; give another --output")
    click.echo(relative(write_atomic(target, signed)))


def _signed_name(pdf: Path, signed: bytes) -> Path:
    import re

    from ..signing.sign import field_names

    count = sum(field_names(signed).values())
    base = re.sub(r"-underskrevet-\d+$", "", pdf.stem)
    return pdf.with_name(f"{base}-underskrevet-{count}.pdf")


@cli.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--trust", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A certificate (PEM or DER) to trust as a root; may be repeated.")
def verify(pdf: Path, trust: tuple[Path, ...]) -> None:
    """List every signature field of PDF and check every signature in it.

    For each field: signed or not, the signer, the signing time, whether the signed
    bytes are intact, what was changed after signing (form filling such as a further
    signature is fine), and whether the certificate is trusted (against --trust).
    Exit status 1 if any signature is broken.
    """
    from ..signing import pdffile
    from ..signing import verify as verification
    from ..signing.certificates import NotACertificate, read_certificates

    roots = []
    for path in trust:
        try:
            roots += read_certificates(path.read_bytes())
        except NotACertificate as exc:
            raise BadInput(f"--trust {relative(path)} {exc}; give a certificate file (PEM or "
                           "DER: .crt, .pem, .cer) of a signer or of its CA") from None
    try:
        reports = verification.verify(pdf.read_bytes(), roots)
    except pdffile.Unreadable as exc:
        raise BadInput(f"{relative(pdf)}: {exc}") from None
    if not reports:
        click.echo(f"{relative(pdf)}: no signature fields")
    for r in reports:
        if not r.signed:
            click.echo(f"{r.name}: not signed")
            continue
        click.echo(f"{r.name}: signed by {r.signer} at {r.signing_time}"
                   f"{' (timestamped)' if r.timestamped else ''}")
        trusted = "yes" if r.trusted else ("no" if trust else "no (no --trust given)")
        click.echo(f"  intact: {'yes' if r.intact else 'NO'}; changed after signing: "
                   f"{r.modification.replace('_', ' ')}; trusted: {trusted}")
    broken = [r.name for r in reports if r.broken]
    if broken:
        raise AftalerError(f"broken signature(s): {', '.join(broken)}")
