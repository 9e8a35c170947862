"""The whole edit page: one section per task, the indicator values, evidence, and the two lists of the report.

Every editable field carries the value it was drawn from (`show_hidden_initial`), so that the page knows what
this user changed. When the save is refused because somebody else saved first, `ReportEditForms.after_stale`
keeps what this user typed, takes the other person's values where this user changed nothing, and flags the
fields both changed.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from markupsafe import Markup

from portal.jinja import environment
from reports.drafting import DraftInput
from reports.forms.sections import (
    ActivityForm,
    ActivityFormSet,
    DocumentForm,
    DocumentFormSet,
    IndicatorValueForm,
    TaskAnswerForm,
    VersionForm,
)
from reports.models import TaskReport
from reports.selectors import AnswerToEdit

# --- The whole page ----------------------------------------------------------------------------------------


@dataclass
class TaskSection:
    answer: TaskReport
    form: TaskAnswerForm
    value_forms: list[IndicatorValueForm]
    evidence: list
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (field label, the other person's value)
    lost_files: list[str] = field(default_factory=list)

    @property
    def task(self):
        return self.answer.task

    @property
    def code(self) -> str:
        return self.answer.task.code

    @property
    def anchor(self) -> str:
        return "task-" + self.code.replace(".", "-")

    @property
    def is_complete(self) -> bool:
        return self.answer.is_complete

    @property
    def errors(self) -> bool:
        return bool(self.form.errors) or any(f.errors for f in self.value_forms)


class ReportEditForms:
    """All forms of the edit page for one report, unbound (from the database) or bound to a POST."""

    DOCUMENTS = "doc"
    ACTIVITIES = "act"

    def __init__(
        self,
        report,
        answers: list[AnswerToEdit],
        *,
        targets: dict,
        documents: list,
        activities: list,
        data=None,
        files=None,
    ):
        self.report = report
        self.data = data
        self.files = files
        self.is_bound = data is not None
        self.version_form = VersionForm(data, initial={"version": report.version})
        self.sections: list[TaskSection] = []
        self.documents_conflict = ""
        self.activities_conflict = ""
        max_size_text = filesizeformat(settings.EVIDENCE_MAX_BYTES)
        evidence_ids = set()
        for to_edit in answers:
            answer = to_edit.answer
            prefix = f"t{answer.pk}"
            present = self.is_bound and f"{prefix}-present" in data
            form = TaskAnswerForm(
                data if present else None,
                files if present else None,
                prefix=prefix,
                initial=TaskAnswerForm.initial_for(answer),
                max_size_text=max_size_text,
            )
            value_forms = [
                IndicatorValueForm(
                    data if present else None,
                    prefix=f"v{value.pk}",
                    initial=IndicatorValueForm.initial_for(value),
                    indicator_value=value,
                    target=targets.get(value.indicator_id),
                )
                for value in to_edit.values
            ]
            evidence = to_edit.evidence
            evidence_ids.update(e.pk for e in evidence)
            self.sections.append(TaskSection(answer=answer, form=form, value_forms=value_forms, evidence=evidence))
        self.evidence_ids = evidence_ids
        agency_name = report.agency.name
        self.documents = self._formset(
            DocumentFormSet, self.DOCUMENTS, [DocumentForm.initial_for(d) for d in documents], {"issuer": agency_name}
        )
        self.activities = self._formset(
            ActivityFormSet, self.ACTIVITIES, [ActivityForm.initial_for(a) for a in activities], {}
        )

    def empty_row(self, formset, fields) -> str:
        """The hidden row the page's script copies for "Add a row". It depends only on the list, what a new row
        starts with (the agency as issuer) and the language, so each process draws it once for all reports."""
        return _new_row(*self._row_key(formset, fields), blank=False)

    def rows(self, formset, fields) -> str:
        """The list's rows. A list with nothing stored yet, as most are until late in the year, shows one blank
        row; like the hidden row it depends only on the list, the new row's values and the language, so it is
        drawn once per process too. Other lists draw each of their rows."""
        if not formset.is_bound and not formset.initial:
            return _new_row(*self._row_key(formset, fields), blank=True)
        return Markup("".join(_row_macro()(form, fields) for form in formset))

    @staticmethod
    def _row_key(formset, fields) -> tuple:
        return (
            translation.get_language(),
            formset.prefix,
            tuple(sorted(formset.new_row.items())),
            tuple(tuple(field) for field in fields),
        )

    def _formset(self, formset_class, prefix, initial, new_row):
        bound = self.is_bound and f"{prefix}-TOTAL_FORMS" in self.data
        formset_class = type(formset_class.__name__, (formset_class,), {"new_row": new_row, "extra": 0 if initial else 1})
        return formset_class(self.data if bound else None, prefix=prefix, initial=initial)

    # --- Reading a POST -------------------------------------------------------------------------------------

    def bound_forms(self):
        for section in self.sections:
            if section.form.is_bound:
                yield section.form
                yield from section.value_forms

    def bound_formsets(self):
        return [fs for fs in (self.documents, self.activities) if fs.is_bound]

    def is_valid(self) -> bool:
        results = [self.version_form.is_valid()]
        results += [form.is_valid() for form in self.bound_forms()]
        results += [formset.is_valid() for formset in self.bound_formsets()]
        return all(results)

    @property
    def version(self) -> int | None:
        return self.version_form.cleaned_data.get("version") if self.version_form.is_valid() else None

    def removals(self) -> list[int]:
        wanted = []
        for raw in self.data.getlist("remove_evidence") if self.is_bound else []:
            try:
                wanted.append(int(raw))
            except ValueError:
                continue
        return [pk for pk in wanted if pk in self.evidence_ids]

    def draft_input(self) -> DraftInput:
        """What changed, for `report_draft_save`; only fields this user changed are sent."""
        draft = DraftInput()
        for section in self.sections:
            form = section.form
            if not form.is_bound:
                continue
            changed = [name for name in form.changed_data if name != "files"]
            if changed:
                draft.answers[section.answer.pk] = {name: form.cleaned_data[name] for name in changed}
            for upload in form.cleaned_data.get("files") or []:
                draft.uploads.append((section.answer.pk, upload))
            for value_form in section.value_forms:
                if value_form.changed_data:
                    draft.values[value_form.indicator_value.pk] = {
                        name: value_form.cleaned_data[name] for name in value_form.changed_data
                    }
        if self.documents.is_bound and self.documents.has_changed():
            draft.documents = self.documents.rows()
        if self.activities.is_bound and self.activities.has_changed():
            draft.activities = self.activities.rows()
        draft.removals = self.removals()
        return draft

    def has_changes(self) -> bool:
        draft = self.draft_input()
        return bool(
            draft.answers
            or draft.values
            or draft.documents is not None
            or draft.activities is not None
            or draft.uploads
            or draft.removals
        )

    def sections_with_errors(self) -> list[TaskSection]:
        return [s for s in self.sections if s.errors]

    def uploaded_names(self, section: TaskSection) -> list[str]:
        if not (self.files and section.form.is_bound):
            return []
        return [f.name for f in self.files.getlist(section.form.add_prefix("files"))]

    def note_unsaved_uploads(self) -> None:
        """The page is shown again without saving: a browser cannot keep a chosen file, so name the files to
        choose again (a file refused for itself already has its own message)."""
        for section in self.sections:
            if "files" not in section.form.errors:
                section.lost_files = self.uploaded_names(section)

    # --- After a stale save ---------------------------------------------------------------------------------

    def after_stale(self, current: ReportEditForms) -> ReportEditForms:
        """The forms to show after the save was refused: `current` is built from the database as it is now.

        This user's changes are kept; where they changed nothing, the other person's values are taken; the hidden
        "initial" values move to the current ones, so that the next save is measured against what is stored now.
        """
        data = self.data.copy()
        data["version"] = str(current.report.version)
        conflicts: dict[int, list[tuple[str, str]]] = {}
        current_sections = {s.answer.pk: s for s in current.sections}
        for section in self.sections:
            if not section.form.is_bound or section.answer.pk not in current_sections:
                continue
            now = current_sections[section.answer.pk]
            found = _merge_form(section.form, now.form.initial, data)
            for old_form, new_form in zip(section.value_forms, now.value_forms, strict=False):
                found += _merge_form(old_form, new_form.initial, data)
            conflicts[section.answer.pk] = found
        documents_conflict = _merge_formset(self.documents, current.documents, data)
        activities_conflict = _merge_formset(self.activities, current.activities, data)
        merged = ReportEditForms(
            current.report,
            [
                AnswerToEdit(answer=s.answer, values=[f.indicator_value for f in s.value_forms], evidence=s.evidence)
                for s in current.sections
            ],
            targets={},
            documents=[],
            activities=[],
            data=data,
        )
        # Targets, evidence and unbound lists come from the current page.
        for section, now in zip(merged.sections, current.sections, strict=True):
            section.evidence = now.evidence
            for value_form, now_form in zip(section.value_forms, now.value_forms, strict=False):
                value_form.target = now_form.target
            section.conflicts = conflicts.get(section.answer.pk, [])
            old = next((s for s in self.sections if s.answer.pk == section.answer.pk), None)
            section.lost_files = self.uploaded_names(old) if old else []
        merged.evidence_ids = current.evidence_ids
        merged.documents = _rebind(current.documents, data, documents_conflict is not None)
        merged.activities = _rebind(current.activities, data, activities_conflict is not None)
        merged.documents_conflict = documents_conflict or ""
        merged.activities_conflict = activities_conflict or ""
        return merged


def _row_macro():
    return environment().get_template("reports/list_macros.html").module.row


@functools.lru_cache(maxsize=1024)
def _new_row(language: str, prefix: str, new_row: tuple, fields: tuple, *, blank: bool) -> str:
    """A row of a list with nothing stored (see ReportEditForms._formset): the blank first row the page shows, or
    the hidden template row (`__prefix__`) the page's script copies."""
    formset_class = {ReportEditForms.DOCUMENTS: DocumentFormSet, ReportEditForms.ACTIVITIES: ActivityFormSet}[prefix]
    formset = type(formset_class.__name__, (formset_class,), {"new_row": dict(new_row), "extra": 1})(prefix=prefix)
    with translation.override(language):
        return _row_macro()(formset.forms[0] if blank else formset.empty_form, fields)


def _display(field_instance, raw) -> str:
    if isinstance(field_instance, forms.ChoiceField):
        return str(dict(field_instance.choices).get(raw, raw or ""))
    if isinstance(raw, datetime.date):
        return raw.strftime("%d/%m/%Y")
    return "" if raw is None else str(raw)


def _raw(field_instance, value) -> str:
    """The text a widget shows for an initial value."""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def _same(field_instance, a, b) -> bool:
    try:
        return field_instance.to_python(a) == field_instance.to_python(b)
    except ValidationError:
        return a == b


def _merge_form(form, current_initial: dict, data) -> list[tuple[str, str]]:
    """Three-way merge of one bound form into `data`; returns the fields both people changed."""
    conflicts = []
    for name, bound in ((name, form[name]) for name in form.fields):
        field_instance = form.fields[name]
        if not field_instance.show_hidden_initial:
            continue
        mine = data.get(bound.html_name, "")
        base = data.get(bound.html_initial_name, "")
        theirs = _raw(field_instance, current_initial.get(name))
        i_changed = not _same(field_instance, mine, base)
        they_changed = not _same(field_instance, base, theirs)
        if not i_changed:
            data[bound.html_name] = theirs
        elif they_changed and not _same(field_instance, mine, theirs):
            conflicts.append((str(field_instance.label), _display(field_instance, theirs) or "—"))
        data[bound.html_initial_name] = theirs
    return conflicts


def _merge_formset(mine, current, data) -> str | None:
    """Merge a list row by row. Returns None when this user did not touch it (the stored list is shown as it is
    now), else a note ("" when nobody else changed it) and rewrites the list's keys in `data`."""
    if not mine.is_bound or not mine.has_changed():
        for key in [k for k in data if k.startswith(f"{mine.prefix}-") or k.startswith(f"initial-{mine.prefix}-")]:
            del data[key]
        return None
    stored = {row["id"]: row for row in current.initial or []}
    rows, seen, others_changed = [], set(), False
    for form in mine.forms:
        raw_id = data.get(form.add_prefix("id"), "")
        row_id = int(raw_id) if str(raw_id).isdigit() else None
        values = {name: data.get(form.add_prefix(name), "") for name in form.content_fields()}
        initials = {name: data.get(form.add_initial_prefix(name), "") for name in form.content_fields()}
        deleted = bool(data.get(form.add_prefix("DELETE")))
        if row_id is not None and row_id in stored:
            seen.add(row_id)
            row = {"id": str(row_id), "DELETE": deleted, "values": {}, "initials": {}}
            for name in form.content_fields():
                field_instance = form.fields[name]
                theirs = _raw(field_instance, stored[row_id].get(name))
                i_changed = not _same(field_instance, values[name], initials[name])
                if not _same(field_instance, initials[name], theirs):
                    others_changed = True
                row["values"][name] = values[name] if i_changed else theirs
                row["initials"][name] = theirs
            rows.append(row)
        elif row_id is not None:
            others_changed = True  # removed by the other person: keep it only if this user edited it
            if form.has_changed() and not deleted:
                rows.append({"id": "", "DELETE": False, "values": values, "initials": {}})
        elif form.has_changed() and not deleted:
            rows.append({"id": "", "DELETE": False, "values": values, "initials": {}})
    for row_id, row in stored.items():
        if row_id not in seen:
            others_changed = True
            theirs = {name: _raw(mine.form.base_fields[name], row.get(name)) for name in mine.form.content_fields()}
            rows.append({"id": str(row_id), "DELETE": False, "values": theirs, "initials": dict(theirs)})
    rows.sort(key=lambda r: r["id"] == "")  # stored rows first: they are the formset's initial forms
    for key in [k for k in data if k.startswith(f"{mine.prefix}-") or k.startswith(f"initial-{mine.prefix}-")]:
        del data[key]
    data[f"{mine.prefix}-TOTAL_FORMS"] = str(len(rows))
    data[f"{mine.prefix}-INITIAL_FORMS"] = str(sum(1 for r in rows if r["id"]))
    data[f"{mine.prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{mine.prefix}-MAX_NUM_FORMS"] = "1000"
    for index, row in enumerate(rows):
        prefix = f"{mine.prefix}-{index}"
        data[f"{prefix}-id"] = row["id"]
        if row["DELETE"]:
            data[f"{prefix}-DELETE"] = "on"
        for name, value in row["values"].items():
            data[f"{prefix}-{name}"] = value
            data[f"initial-{prefix}-{name}"] = row["initials"].get(name, "")
    return _("Somebody else also changed this list: check it before saving again.") if others_changed else ""


def _rebind(current_formset, data, bound: bool):
    """The list to show after a stale save: the user's merged rows, or the stored list as it is now."""
    formset_class = type(current_formset)
    initial = current_formset.initial
    return formset_class(data if bound else None, prefix=current_formset.prefix, initial=initial)
