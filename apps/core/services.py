"""Service helpers every app shares: assigning allowed fields, the same-förbund check, reordering.

The service convention they serve: ``<entity>_<verb>(*, forbund, actor, <entity>=..., **fields)``,
keyword-only, the object named after its model; validated with ``full_clean()`` inside
``transaction.atomic()`` and ``audited_by(actor)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from apps.tenancy.models import Forbund

M = TypeVar("M", bound=models.Model)

SAME_FORBUND_MESSAGE = "Välj något som hör till det här förbundet."


def assign_fields(instance: models.Model, data: Mapping[str, Any], *, allowed: Iterable[str]) -> list[str]:
    """Set ``data`` on ``instance`` (HackSoft's model_update without the save); the changed names.

    Only names in ``allowed`` may be set: another name is a programming error (TypeError), never
    a silent write of a field such as ``forbund`` or ``status`` that has its own service.
    """
    allowed = frozenset(allowed)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise TypeError(f"{type(instance).__name__}: fields not allowed here: {', '.join(unknown)}")
    changed = []
    for name, value in data.items():
        try:
            current = getattr(instance, name)
        except ObjectDoesNotExist:  # a required relation not set yet on a new row
            current = None
        setattr(instance, name, value)
        if current != value:
            changed.append(name)
    return changed


def check_same_forbund(forbund: Forbund, **objects: Any) -> None:
    """Refuse related objects of another förbund: a ValidationError on each field that names one.

    A value may be None (not set), one object, or several (a many-to-many choice).
    """
    errors = {}
    for name, value in objects.items():
        many = value if isinstance(value, list | tuple | set | frozenset) else [value]
        if any(obj is not None and obj.forbund_id != forbund.pk for obj in many):
            errors[name] = SAME_FORBUND_MESSAGE
    if errors:
        raise ValidationError(errors)


def move(siblings: models.QuerySet[M], obj: M, *, up: bool, field: str = "position") -> bool:
    """Move ``obj`` one step up or down among ``siblings`` (ordered, ``obj`` included); False at an end.

    The rows are locked, then ``obj`` and its neighbour swap their ``field`` values. Rows that
    share a value (rows imported without an order) are first numbered 0, 1, 2, ... in the order
    shown. The moving row is parked on a free value first, so a unique constraint on ``field``
    (the numbers of målområden) holds at every step.
    """
    rows = list(siblings.select_for_update())
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return False
    stored = [getattr(row, field) for row in rows]
    values = list(stored)
    if None in values or len(set(values)) < len(values):
        values = list(range(len(rows)))
    values[index], values[other] = values[other], values[index]
    park = max([*values, *(value for value in stored if value is not None)]) + 1
    base = siblings.model._base_manager.filter(pk__in=[row.pk for row in rows])
    base.filter(pk=obj.pk).update(**{field: park})
    for row, value in zip(rows, values, strict=True):
        if row.pk != obj.pk and getattr(row, field) != value:
            base.filter(pk=row.pk).update(**{field: value})
        setattr(row, field, value)
    base.filter(pk=obj.pk).update(**{field: values[index]})
    setattr(obj, field, values[index])
    return True


def move_to(siblings: models.QuerySet[M], obj: M, *, position: int, field: str = "position") -> None:
    """Put ``obj`` at place ``position`` (1 = first) among ``siblings`` in one step, renumbering 0, 1, ...

    A place outside 1 to the number of rows is a Swedish ValidationError on ``position``.
    """
    rows = list(siblings.select_for_update())
    if not 1 <= position <= len(rows):
        raise ValidationError({"position": f"Välj en plats mellan 1 och {len(rows)}."})
    moving = next(row for row in rows if row.pk == obj.pk)
    rows.remove(moving)
    rows.insert(position - 1, moving)
    changed = []
    for index, row in enumerate(rows):
        if getattr(row, field) != index:
            setattr(row, field, index)
            changed.append(row)
    siblings.model._base_manager.bulk_update(changed, [field])
    setattr(obj, field, getattr(moving, field))
