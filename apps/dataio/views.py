"""Import and export pages: list, export download, upload with preview, confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.views import apply_service_errors, render_form, tenant_view
from apps.tenancy.access import get_tenant_object

from . import selectors, services
from .files import CONTENT_TYPES, export_bytes
from .forms import UploadForm
from .models import FileFormat, ImportStatus
from .registry import DATASETS, importable

# Every reader may export; who may import a dataset is the dataset's import ability.
# Plattformspersonal have no plan_view: they reach the pages for their participant datasets.
VIEW = ("plan_view", "participants_log")


def _index(request, form):
    datasets = [spec for spec in DATASETS.values() if spec.may_export(request.abilities)]
    context = {
        "datasets": datasets,
        "form": form,
        "formats": FileFormat.choices,
        "documented": [spec for spec in importable(request.abilities) if spec.columns],
    }
    return render_form(request, "dataio/index.html", context)


@tenant_view(VIEW, methods=("GET", "POST"))
def index(request, forbund_slug):
    allowed = importable(request.abilities)
    form = UploadForm(datasets=allowed) if allowed else None
    if request.method == "GET":
        return _index(request, form)
    if not allowed:
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES, datasets=allowed)
    if not form.is_valid():
        return _index(request, form)
    upload = form.cleaned_data["file"]
    try:
        job = services.import_job_create(
            forbund=request.forbund,
            actor=request.user,
            dataset=form.cleaned_data["dataset"],
            filename=upload.name,
            content=upload.read(),
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _index(request, form)
    return redirect("dataio:import_preview", forbund_slug=forbund_slug, public_id=job.public_id)


@tenant_view(VIEW)
def export(request, forbund_slug, dataset, file_format):
    spec = DATASETS.get(dataset)
    if spec is None or file_format not in FileFormat.values:
        raise Http404
    if not spec.may_export(request.abilities):
        raise PermissionDenied
    data = selectors.export_dataset(forbund=request.forbund, dataset=dataset, actor=request.user)
    response = HttpResponse(export_bytes(data, file_format), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="{request.forbund.slug}-{spec.filename}.{file_format}"'
    )
    return response


def _job(request, public_id):
    job = get_tenant_object(
        request,
        selectors.import_job_queryset(forbund=request.forbund),
        public_id=public_id,
    )
    spec = DATASETS[job.dataset]
    if not spec.may_import(request.abilities):
        raise PermissionDenied
    if spec.uploader_only and job.created_by_id != request.user.pk:
        raise Http404
    return job


def _result_page(request, job, result, *, done=False):
    return render(
        request,
        "dataio/preview.html",
        {
            "job": job,
            "spec": DATASETS[job.dataset],
            "result": result,
            "done": done,
            "can_confirm": job.status == ImportStatus.PREVIEW and not result.has_errors,
        },
        status=400 if result.has_errors else 200,
    )


@tenant_view(VIEW)
def import_preview(request, forbund_slug, public_id):
    job = _job(request, public_id)
    if job.status != ImportStatus.PREVIEW:
        messages.info(request, "Den filen är redan hanterad. Ladda upp en ny fil för en ny import.")
        return redirect("dataio:index", forbund_slug=forbund_slug)
    result = services.import_job_preview(forbund=request.forbund, actor=request.user, import_job=job)
    return _result_page(request, job, result)


@tenant_view(VIEW, methods=("POST",))
def import_confirm(request, forbund_slug, public_id):
    job = _job(request, public_id)
    result = services.import_job_confirm(forbund=request.forbund, actor=request.user, import_job=job)
    if result.has_errors:
        return _result_page(request, job, result)
    counts = result.counts
    messages.success(
        request,
        f"Importen är genomförd: {counts['new']} nya, {counts['update']} ändrade och "
        f"{counts['skip']} oförändrade rader.",
    )
    return redirect(reverse("dataio:index", args=[forbund_slug]))
