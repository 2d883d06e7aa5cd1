"""The forms a laptop holds: finding form files, reading them within bounds, and the library of
every version (``FormLibrary``), overlaid by the office's published copies."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from inspector_app import paths
from inspector_app.checklist.model import (
    Form,
    FormError,
    FormProblem,
)
from inspector_app.checklist.parse import MAX_FORM_BYTES, parse_form
from inspector_app.domain.visit import VisitKind

FORMS_DIR_ENV = "INSPECTOR_FORMS_DIR"
FORM_SUFFIXES = (".yaml", ".yml")


def default_forms_dir() -> Path:
    """The forms shipped with the app, unless ``INSPECTOR_FORMS_DIR`` points elsewhere."""
    override = os.environ.get(FORMS_DIR_ENV)
    return Path(override) if override else paths.forms_dir()


def display_path(path: Path) -> str:
    """The path as an author would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def read_form_bytes(path: str | os.PathLike[str], name: str | None = None) -> bytes:
    """A form file's bytes, never more than MAX_FORM_BYTES + 1 of them whatever the file holds
    (``parse_form`` then refuses an over-long one); FormError when it cannot be read."""
    if Path(path).exists() and not Path(path).is_file():  # a pipe would block, a device never end
        shown = name or display_path(Path(path))
        raise FormError([FormProblem(shown, None, None, "not a regular file")])
    try:
        with Path(path).open("rb") as fh:
            return fh.read(MAX_FORM_BYTES + 1)
    except OSError as exc:
        shown = name or display_path(Path(path))
        reason = f"cannot read file: {exc.strerror or exc}"
        raise FormError([FormProblem(shown, None, None, reason)]) from None


def load_form(path: str | os.PathLike[str]) -> Form:
    name = display_path(Path(path))
    return parse_form(read_form_bytes(path, name), name)


def form_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named directly, and the YAML files of named folders (sorted, not recursive)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(f for f in p.iterdir() if f.suffix in FORM_SUFFIXES and f.is_file())
        else:
            yield p


def check_files(paths: Iterable[str | os.PathLike[str]]) -> list[FormProblem]:
    """Every problem in the given files and folders, including a code and version used twice."""
    problems, _ = _load_many(form_files(paths))
    return problems


def _load_many(files: Iterable[Path]) -> tuple[list[FormProblem], list[Form]]:
    problems: list[FormProblem] = []
    forms: list[Form] = []
    seen: dict[tuple[str, str], str] = {}
    for f in files:
        try:
            form = load_form(f)
        except FormError as exc:
            problems.extend(exc.problems)
            continue
        ident = (form.code, form.version)
        if ident in seen:
            problems.append(FormProblem(
                form.source, 1, None,
                f'form "{form.code}" version "{form.version}" is also defined in {seen[ident]}',
            ))
            continue
        seen[ident] = form.source
        forms.append(form)
    return problems, forms


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Orders "2026.2" before "2026.10": numeric parts as numbers, other parts after them as text."""
    parts = re.split(r"[.\-]", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


@dataclass
class FormLibrary:
    """All forms of a folder, every version kept: a completed visit names the version it used."""

    forms: list[Form] = field(default_factory=list)
    problems: list[FormProblem] = field(default_factory=list)

    @classmethod
    def load(cls, directory: str | os.PathLike[str] | None = None, *, strict: bool = True) -> FormLibrary:
        """Load every form of ``directory`` (default: ``default_forms_dir()``).

        With ``strict`` any problem raises FormError; otherwise the sound forms are kept and
        the problems are listed in ``problems`` (the app still starts when one file is broken).
        """
        folder = Path(directory) if directory is not None else default_forms_dir()
        if not folder.is_dir():
            problem = FormProblem(display_path(folder), None, None, "forms folder not found")
            if strict:
                raise FormError([problem])
            return cls([], [problem])
        problems, forms = _load_many(form_files([folder]))
        if problems and strict:
            raise FormError(problems)
        forms.sort(key=lambda f: (f.code, version_key(f.version)))
        return cls(forms, problems)

    def overlaid(self, other: FormLibrary) -> FormLibrary:
        """These forms with ``other``'s added; where both have a code and version, ``other``'s wins
        (the office's published copy is the authority over the one shipped with the app)."""
        theirs = {(f.code, f.version) for f in other.forms}
        forms = [f for f in self.forms if (f.code, f.version) not in theirs] + list(other.forms)
        forms.sort(key=lambda f: (f.code, version_key(f.version)))
        return FormLibrary(forms, [*self.problems, *other.problems])

    def all(self) -> list[Form]:
        return list(self.forms)

    def get(self, code: str, version: str | None = None) -> Form:
        """The form with this code, the latest version unless one is named; KeyError when absent."""
        matching = [f for f in self.forms if f.code == code]
        if version is not None:
            matching = [f for f in matching if f.version == version]
        if not matching:
            raise KeyError(code if version is None else f"{code}@{version}")
        return max(matching, key=lambda f: version_key(f.version))

    def latest(self) -> list[Form]:
        best: dict[str, Form] = {}
        for f in self.forms:
            if f.code not in best or version_key(f.version) > version_key(best[f.code].version):
                best[f.code] = f
        return sorted(best.values(), key=lambda f: f.code)

    def for_category(self, category: str, kind: VisitKind | None = None) -> list[Form]:
        """The latest version of each form that applies to the category (``*`` applies to all)."""
        return [f for f in self.latest() if f.applies(category) and (kind is None or f.kind is kind)]
