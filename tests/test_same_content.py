"""Word and PDF say the same thing: every effort, commitment, signatory and date."""

from __future__ import annotations

from extract import docx_text, normalise, pdf_tagged_text


def required_strings(agreement) -> list[str]:
    out = []
    for effort in agreement.efforts:
        out.append(effort.name)
        out += list(effort.commitments.values())
        if effort.joint:
            out.append(effort.joint.text)
    for party in agreement.parties.values():
        out.append(party.name)
        for s in party.signatories:
            out += [s.name, f"{s.title}, {party.name}"]
    out += ["1. november 2014", "31. december 2017", "40-45 mio. kr.", agreement.evaluation]
    return [normalise(s) for s in out]


def test_word_and_pdf_both_carry_every_required_string(built, hospital):
    word, pdf = docx_text(built.docx), pdf_tagged_text(built.pdf)
    missing = {s: (s in word, s in pdf) for s in required_strings(hospital)
               if s not in word or s not in pdf}
    assert missing == {}


def test_word_and_pdf_carry_the_same_paragraphs(built):
    word, pdf = docx_text(built.docx), pdf_tagged_text(built.pdf)
    for paragraph in built.document.paragraphs:
        assert normalise(paragraph) in word
        assert normalise(paragraph) in pdf
