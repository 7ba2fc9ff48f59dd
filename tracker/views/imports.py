"""The Import page: upload an ACLED or GED file, preview its first rows with the matches
proposed, then import it; the summary and the rejected rows are downloadable. The upload is
kept in the instance folder under a random name, parsed by the same code as the command, and
never served back."""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from tracker.auth import current_record
from tracker.db import get_session
from tracker.export.tables import csv_lines
from tracker.imports.progress import ImportProgress
from tracker.imports.table import REPORT_COLUMNS, FileRefusedError
from tracker.models import Actor, Agreement, Place
from tracker.permissions import requires
from tracker.services.import_runs import (
    STATUSES,
    EventOptions,
    ImportRefusedError,
    Overrides,
    Summary,
    summary_json,
)
from tracker.services.imports import READERS, import_events, preview_events
from tracker.views.common import local_zone

bp = Blueprint("imports", __name__, url_prefix="/imports")
_TOKEN = 32
PREVIEW_ROWS = 20
#: How long an upload, its summary and its rejected rows are kept.
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    configured = current_app.config.get("IMPORT_DIR")
    base = Path(configured) if configured else Path(current_app.instance_path) / "imports"
    user = current_record()
    if user is None:
        abort(403)
    folder = base / str(user.id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _upload_dir(token: str) -> Path:
    if len(token) != _TOKEN or not token.isalnum():
        abort(404)
    path = _folder() / token
    if not path.is_dir():
        abort(404)
    return path


def _forget_old_uploads(folder: Path) -> None:
    """Delete this user's uploads and reports older than :data:`KEEP_SECONDS`."""
    horizon = time.time() - KEEP_SECONDS
    for upload in folder.iterdir():
        if upload.is_dir() and upload.stat().st_mtime < horizon:
            shutil.rmtree(upload, ignore_errors=True)


def _limit() -> int:
    return int(current_app.config.get("IMPORT_MAX_MB", 100)) * 1024 * 1024


def _options(form: Any) -> EventOptions:
    kind = form.get("kind", "acled")
    if kind not in READERS:
        kind = "acled"
    status = form.get("status", "submitted")
    countries = tuple(c.strip() for c in form.get("countries", "").split(",") if c.strip())
    return EventOptions(
        kind=kind,
        countries=countries,
        alleged_agreement=form.get("alleged_agreement") or None,
        status=status if status in STATUSES else "submitted",
        skip_invalid=form.get("skip_invalid") == "1",
    )


def _agreements() -> list[Agreement]:
    return list(get_session().scalars(select(Agreement).order_by(Agreement.name_en)))


def _too_large() -> BaseResponse:
    """Back to the Import page, saying the file is larger than the limit."""
    flash(_("The file is larger than %(mb)s MB.", mb=_limit() // (1024 * 1024)), "error")
    return redirect(url_for("imports.index"))


def _receive(stream: IO[bytes], folder: Path) -> bool:
    """Copy the uploaded ``stream`` into ``folder``; when it is larger than the limit, delete
    ``folder`` and answer False."""
    written = 0
    with (folder / "upload.csv").open("wb") as handle:
        while chunk := stream.read(1 << 20):
            written += len(chunk)
            if written > _limit():
                handle.close()
                shutil.rmtree(folder)
                return False
            handle.write(chunk)
    return True


@bp.route("/", methods=["GET", "POST"])
@requires("analyst")
def index() -> str | BaseResponse:
    if request.method == "GET":
        return render_template(
            "imports/index.html", agreements=_agreements(), statuses=STATUSES, kinds=list(READERS)
        )
    if request.content_length is not None and request.content_length > _limit():
        return _too_large()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file to import."), "error")
        return redirect(url_for("imports.index"))
    _forget_old_uploads(_folder())
    token = secrets.token_hex(_TOKEN // 2)
    folder = _folder() / token
    folder.mkdir()
    if not _receive(upload.stream, folder):
        return _too_large()
    options = _options(request.form)
    meta = {"name": Path(upload.filename).name[:200], "options": asdict(options)}
    _save_meta(folder, meta)
    return redirect(url_for("imports.preview", token=token))


def _save_meta(folder: Path, meta: dict[str, Any]) -> None:
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _meta(folder: Path) -> tuple[dict[str, Any], EventOptions]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    values = dict(meta["options"])
    values["countries"] = tuple(values.get("countries") or ())
    values["overrides"] = Overrides(**values.get("overrides", {}))
    return meta, EventOptions(**values)


@bp.route("/<token>/match", methods=["POST"])
@requires("analyst")
def match(token: str) -> BaseResponse:
    """Fix a proposed match: the actor or place a name stands for, given by its short name."""
    folder = _upload_dir(token)
    meta, _options_now = _meta(folder)
    kind = request.form.get("kind")
    name = (request.form.get("name") or "").strip()
    slug = (request.form.get("slug") or "").strip()
    if kind not in {"actors", "places"} or not name:
        abort(400)
    chosen = meta["options"].setdefault("overrides", {}).setdefault(kind, {})
    if not slug:
        chosen.pop(name, None)
    else:
        if kind == "actors":
            query = select(Actor.id).where(Actor.slug == slug)
        else:
            query = select(Place.id).where(Place.slug == slug)
        record_id = get_session().scalar(query)
        if record_id is None:
            flash(_("There is no record with the short name %(slug)s.", slug=slug), "error")
            return redirect(url_for("imports.preview", token=token))
        chosen[name] = record_id
    _save_meta(folder, meta)
    return redirect(url_for("imports.preview", token=token))


@bp.route("/<token>")
@requires("analyst")
def preview(token: str) -> str | BaseResponse:
    folder = _upload_dir(token)
    meta, options = _meta(folder)
    tz = local_zone()
    session = get_session()
    try:
        summary, rows = preview_events(session, folder / "upload.csv", options, tz, PREVIEW_ROWS)
    except (FileRefusedError, ImportRefusedError) as exc:
        flash(
            _("%(name)s cannot be imported: %(reason)s", name=meta["name"], reason=str(exc)),
            "error",
        )
        shutil.rmtree(folder)
        return redirect(url_for("imports.index"))
    finally:
        session.rollback()
    _save_rejections(folder, summary.rejections)
    return render_template(
        "imports/preview.html",
        token=token,
        meta=meta,
        options=options,
        summary=summary,
        rows=rows,
    )


def _save_rejections(folder: Path, rejections: list[Any]) -> None:
    rows = (dict(zip(REPORT_COLUMNS, r.as_csv(), strict=True)) for r in rejections)
    (folder / "rejected.csv").write_text("".join(csv_lines(rows, REPORT_COLUMNS)), "utf-8")


def _import_upload(session: Session, folder: Path, name: str, options: EventOptions) -> Summary:
    """Import the upload kept in ``folder`` as the signed-in user, and commit it when it wrote
    anything (roll back otherwise)."""
    tz = local_zone()
    user = current_record()
    summary = import_events(
        session, folder / "upload.csv", options, tz, user=user,
        run_by=f"{user.username if user else 'unknown'} (web)",
        progress=ImportProgress(enabled=False),
    )  # fmt: skip
    summary.file_name = name
    if summary.written:
        session.commit()
    else:
        session.rollback()
    return summary


def _save_outcome(folder: Path, summary: Summary) -> None:
    """Keep the import's rejected rows and summary for download, and forget the upload."""
    _save_rejections(folder, summary.rejections)
    (folder / "summary.json").write_text(summary_json(summary), encoding="utf-8")
    (folder / "upload.csv").unlink(missing_ok=True)


@bp.route("/<token>/import", methods=["POST"])
@requires("analyst")
def run(token: str) -> str | BaseResponse:
    folder = _upload_dir(token)
    meta, options = _meta(folder)
    session = get_session()
    try:
        summary = _import_upload(session, folder, meta["name"], options)
    except (FileRefusedError, ImportRefusedError) as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("imports.preview", token=token))
    except IntegrityError:
        session.rollback()
        flash(
            _("Another import wrote the same events meanwhile: nothing was written; try again."),
            "error",
        )
        return redirect(url_for("imports.preview", token=token))
    _save_outcome(folder, summary)
    return render_template("imports/summary.html", token=token, summary=summary, meta=meta)


@bp.route("/<token>/rejected.csv")
@requires("analyst")
def rejected(token: str) -> Response:
    path = _upload_dir(token) / "rejected.csv"
    if not path.is_file():
        abort(404)
    return Response(
        path.read_bytes(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=rejected-rows.csv"},
    )


@bp.route("/<token>/summary.json")
@requires("analyst")
def summary(token: str) -> Response:
    path = _upload_dir(token) / "summary.json"
    if not path.is_file():
        abort(404)
    return Response(
        path.read_bytes(),
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=import-summary.json"},
    )
