"""JSON Schemas of every YAML format, for editors' autocompletion and checking."""

from __future__ import annotations

from .agreement import Agreement
from .programme import Programme
from .records import Evaluation, ProgrammeYear

FORMATS = {
    "agreement": Agreement,
    "programme": Programme,
    "evaluation": Evaluation,
    "programme-year": ProgrammeYear,
}


def json_schemas() -> dict[str, dict]:
    """File name -> JSON Schema (draft 2020-12) of each definition format."""
    out = {}
    for name, model in FORMATS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{name}.schema.json"
        out[f"{name}.schema.json"] = schema
    return out
