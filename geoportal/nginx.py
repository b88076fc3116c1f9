"""The nginx configuration of deploy/nginx/, filled in with this deployment's values: the
upload limits are Komin's own settings, so nginx never refuses what Komin would take."""

import os
from pathlib import Path

from django.conf import settings

from analytics import conf as analytics_conf
from geoportal.body_limits import MULTIPART_MARGIN
from layers import conf as layers_conf
from reports import conf as reports_conf

TEMPLATES = Path(settings.BASE_DIR) / "deploy" / "nginx"


def _size(n: int) -> str:
    return f"{-(-n // 1024)}k"


def limits() -> dict[str, str]:
    ordinary = max(
        settings.KOMIN_BODY_MAX_BYTES,
        settings.KOMIN_GEOMETRY_BODY_MAX_BYTES,
        reports_conf.get("KOMIN_REPORT_MAX_REQUEST_BYTES"),
        reports_conf.get("KOMIN_PHOTO_MAX_BYTES") + MULTIPART_MARGIN,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )
    return {
        "BODY_MAX": _size(ordinary),
        "IMPORT_MAX": _size(layers_conf.import_max_bytes() + MULTIPART_MARGIN),
        "RASTER_MAX": _size(analytics_conf.raster_max_bytes() + MULTIPART_MARGIN),
    }


def _fill(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace(f"@@{name}@@", value)
    if "@@" in template:
        raise ValueError(f"a placeholder is left: {template[template.index('@@') :][:40]}")
    return template


def site(
    *,
    upstreams: list[str],
    listen: str = "80",
    server_name: str = "_",
    static_root: Path | None = None,
    cache_dir: Path = Path("/var/cache/nginx/komin"),
    cache_size: str = "2g",
    tile_cache: bool = True,
) -> str:
    servers = "\n".join(f"    server {u} max_fails=3 fail_timeout=10s;" for u in upstreams)
    values = {
        "LISTEN": listen,
        "SERVER_NAME": server_name,
        "UPSTREAM_SERVERS": servers,
        "STATIC_ROOT": str(static_root or settings.STATIC_ROOT).rstrip("/"),
        "CACHE_DIR": str(cache_dir),
        "CACHE_SIZE": cache_size,
        "TILE_CACHE": "komin_tiles" if tile_cache else "off",
        **limits(),
    }
    return _fill((TEMPLATES / "komin.conf.template").read_text(), values)


def standalone(*, run_dir: Path, site_conf: str, workers: int = 1) -> Path:
    """Writes nginx.conf and komin.conf into run_dir for `nginx -c run_dir/nginx.conf`."""
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "komin.conf").write_text(site_conf)
    values = {
        "RUN_DIR": str(run_dir),
        "WORKERS": str(workers),
        # As root, nginx's workers would drop to `nobody`, who cannot read a private folder.
        "USER": "user root;" if os.geteuid() == 0 else "",
    }
    conf = run_dir / "nginx.conf"
    conf.write_text(_fill((TEMPLATES / "standalone.conf.template").read_text(), values))
    return conf
