"""The checklist (form) engine: checklists are YAML data in ``forms/``, checked at load time.

Imports only the domain, the standard library, simpleeval and ruamel.yaml: no Qt, no SQL.
The format is documented in ``forms/SCHEMA.md``.
"""

from inspector_app.checklist.answers import AnswerError, coerce, is_answered
from inspector_app.checklist.evaluate import (
    Evaluation,
    FindingDraft,
    VisitContext,
    evaluate,
    implied_choices,
    item_numbers,
    section_heading,
    section_numbers,
    visit_context,
)
from inspector_app.checklist.expr import FUNCTIONS, Expr, ExprError, compile_expr
from inspector_app.checklist.library import (
    FORMS_DIR_ENV,
    FormLibrary,
    check_files,
    default_forms_dir,
    form_files,
    load_form,
    read_form_bytes,
    version_key,
)
from inspector_app.checklist.model import (
    Choice,
    Constraint,
    Form,
    FormError,
    FormProblem,
    Item,
    ItemType,
    Label,
    OutcomeRule,
    Section,
)
from inspector_app.checklist.parse import parse_form

__all__ = [
    "FORMS_DIR_ENV",
    "FUNCTIONS",
    "AnswerError",
    "Choice",
    "Constraint",
    "Evaluation",
    "Expr",
    "ExprError",
    "FindingDraft",
    "Form",
    "FormError",
    "FormLibrary",
    "FormProblem",
    "Item",
    "ItemType",
    "Label",
    "OutcomeRule",
    "Section",
    "VisitContext",
    "check_files",
    "coerce",
    "compile_expr",
    "default_forms_dir",
    "evaluate",
    "form_files",
    "implied_choices",
    "is_answered",
    "item_numbers",
    "load_form",
    "parse_form",
    "read_form_bytes",
    "section_heading",
    "section_numbers",
    "version_key",
    "visit_context",
]
