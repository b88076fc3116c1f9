"""Komin settings, read from the environment with safe production defaults.

Development set-up writes the database URL it found or made to `.local/database_url`;
that file is only a fallback when DATABASE_URL is not in the environment.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from geoportal.secret_key import check_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _database_url() -> str:
    url = env("DATABASE_URL")
    if url:
        return url
    local = BASE_DIR / ".local" / "database_url"
    if local.exists():
        return local.read_text().strip()
    raise ImproperlyConfigured("DATABASE_URL is not set (run `make run` or set it).")


DEBUG = env_bool("DEBUG", False)
# KOMIN_DEV=1 (set by the Makefile) allows a development key and plain-HTTP cookies.
DEV = env_bool("KOMIN_DEV", False)
SECRET_KEY = env("SECRET_KEY") or ("komin-insecure-development-key" if DEBUG or DEV else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not (DEBUG or DEV):
    check_secret_key(SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "communes.admin_site.KominAdminConfig",  # django.contrib.admin, our door
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "drf_spectacular",
    "geoportal",
    "communes",
    "layers",
    "reports",
    "open311",
    "analytics",
    "jobs",
    "projects",
    "participation",
    "frontend",
    "messaging",
    "live",
    "webhooks",
    "basemap",
]

MIDDLEWARE = [
    # First of all: the request id every log line carries, and the latency of everything.
    "geoportal.request_id.RequestIdMiddleware",
    "geoportal.metrics.MetricsMiddleware",
    "geoportal.health.HealthMiddleware",  # /healthz, /readyz, /metrics: before the Host check
    # Outermost, so that every answer (errors and refusals too) carries the headers.
    "geoportal.security_headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that reads the database: may this request read from a replica?
    "geoportal.replica_middleware.ReplicaRoutingMiddleware",
    # Before anything that may read a body (CSRF reads form posts): see the module.
    "geoportal.body_limits.BodyLimitMiddleware",
    # Static files, precompressed at collectstatic (served before anything below runs).
    "geoportal.compression.CollectedFirstWhiteNoiseMiddleware",
    # gzip of API, GeoJSON, OGC, tiles and Open311 responses by Accept-Encoding.
    "geoportal.compression.MachineGZipMiddleware",
    # Cache-Control, strong ETags and 304s of public GeoJSON and OGC answers.
    "geoportal.http_cache.PublicCacheMiddleware",
    # Tiles are the same in every language (outside LocaleMiddleware, which adds Vary).
    "geoportal.vary.LanguageNeutralVaryMiddleware",
    # Tiles: answered here, without sessions, auth, CSRF, locale (geoportal/hot_routes.py).
    "geoportal.hot_routes.TileFastPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "geoportal.middleware.QueryLanguageMiddleware",
    "geoportal.middleware.InputHygieneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "geoportal.limits.middleware.LimitedMiddleware",
]
# Log-in attempts are limited in the backend, the one place every way in goes through.
AUTHENTICATION_BACKENDS = ["geoportal.limits.login.LimitedModelBackend"]

ROOT_URLCONF = "geoportal.urls"
WSGI_APPLICATION = "geoportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {"default": dj_database_url.parse(_database_url(), conn_max_age=60)}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DATABASES["default"]["TEST"] = (
    {"NAME": env("KOMIN_TEST_DB_NAME")} if env("KOMIN_TEST_DB_NAME") else {}
)
# Behind PgBouncer in transaction mode (KOMIN_PGBOUNCER=1): no server-side cursors (a
# cursor outlives the transaction its server connection was lent for). Komin keeps no
# session state (only SET LOCAL, no advisory session locks, no LISTEN) and psycopg2
# prepares no statements on the server.
KOMIN_PGBOUNCER = env_bool("KOMIN_PGBOUNCER", False)
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = KOMIN_PGBOUNCER
# Read replicas (streaming, read-only): KOMIN_REPLICA_URLS, comma-separated. Reads that
# may be slightly stale go there (geoportal/db_router.py); the rest to the primary.
KOMIN_REPLICA_URLS = env_list("KOMIN_REPLICA_URLS")
for _number, _url in enumerate(KOMIN_REPLICA_URLS, start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=60)
    _replica["ENGINE"] = DATABASES["default"]["ENGINE"]
    _replica["OPTIONS"] = {
        **_replica.get("OPTIONS", {}),
        "connect_timeout": 2,
        "options": "-c default_transaction_read_only=on",
    }
    _replica["TEST"] = {"MIRROR": "default"}
    _replica["DISABLE_SERVER_SIDE_CURSORS"] = KOMIN_PGBOUNCER
    DATABASES[f"replica{_number}"] = _replica
DATABASE_ROUTERS = ["geoportal.db_router.ReplicaRouter"] if KOMIN_REPLICA_URLS else []
KOMIN_READ_YOUR_WRITES_SECONDS = int(env("KOMIN_READ_YOUR_WRITES_SECONDS", "10"))
KOMIN_REPLICA_MAX_LAG_SECONDS = float(env("KOMIN_REPLICA_MAX_LAG_SECONDS", "10"))
KOMIN_REPLICA_MAX_LAG_BYTES = int(env("KOMIN_REPLICA_MAX_LAG_BYTES", str(16 * 1024 * 1024)))
KOMIN_REPLICA_CHECK_SECONDS = float(env("KOMIN_REPLICA_CHECK_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The test suite makes hundreds of accounts, each hashed with PBKDF2's million rounds:
# the tests' conftest sets KOMIN_TEST_FAST_HASHER=1 (honoured only in development) so
# that new passwords get a cheap hash; every standard hash is still checked.
if DEV and env_bool("KOMIN_TEST_FAST_HASHER"):
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("ht", "Kreyòl ayisyen"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Kreyòl formats (Django has none for "ht").
FORMAT_MODULE_PATH = ["geoportal.formats"]
TIME_ZONE = env("TIME_ZONE", "America/Port-au-Prince")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [("vendor", BASE_DIR / "frontend" / "node_modules")]
# Cached tiles must be shared by every gunicorn worker. With KOMIN_REDIS_URL the cache is
# Redis (tiles stored as bytes, evicted by last use: maxmemory-policy allkeys-lru, see
# README "Scaling out"), the database table `komin_cache` answering while Redis is down;
# without it, the database table. CACHE_BACKEND/CACHE_LOCATION override both.
KOMIN_REDIS_URL = env("KOMIN_REDIS_URL", "")
KOMIN_REDIS_PREFIX = env("KOMIN_REDIS_PREFIX", "")
KOMIN_REDIS_RETRY_SECONDS = float(env("KOMIN_REDIS_RETRY_SECONDS", "5"))
_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "komin_cache",
}
if env("CACHE_BACKEND"):
    _DEFAULT_CACHE = {"BACKEND": env("CACHE_BACKEND"), "LOCATION": env("CACHE_LOCATION", "")}
elif KOMIN_REDIS_URL:
    _DEFAULT_CACHE = {
        "BACKEND": "geoportal.cache.RedisWithFallback",
        "LOCATION": KOMIN_REDIS_URL,
        # Two checkouts or deployments may share one Redis: keys carry the database name.
        "KEY_PREFIX": env("KOMIN_CACHE_PREFIX", "")
        or f"komin:{_database_url().rsplit('/', 1)[-1]}",
        "OPTIONS": {"FALLBACK": "database"},
    }
else:
    _DEFAULT_CACHE = _DATABASE_CACHE
CACHES = {"default": _DEFAULT_CACHE, "database": _DATABASE_CACHE}
# Production: hashed names (cached a year, immutable), gzip/brotli copies and ES module
# imports rewritten to the hashed names (geoportal/static_storage.py); needs
# `collectstatic`. Development and tests: plain names, served from the sources.
KOMIN_HASHED_STATIC = env_bool("KOMIN_HASHED_STATIC", not (DEBUG or DEV))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "geoportal.static_storage.HashedStaticFilesStorage"
        if KOMIN_HASHED_STATIC
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True  # also serve app and npm static files without collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))

# Rate limits (geoportal.limits): counted in Redis when KOMIN_REDIS_URL is set
# (redis://127.0.0.1:6379/0), else in the database table komin_rate_counter. Limits
# themselves: KOMIN_RATE_* (geoportal/limits/rates.py).
# Proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For is believed; empty:
# the client is REMOTE_ADDR. Behind nginx on the same host: 127.0.0.1,::1.
KOMIN_TRUSTED_PROXIES = env_list("KOMIN_TRUSTED_PROXIES")
for _proxy in KOMIN_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"KOMIN_TRUSTED_PROXIES: {_proxy!r} is not an address or a CIDR network."
        ) from None

DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Bodies longer than this are refused unread (413) on routes that declare no cap of
# their own (geoportal/body_limits.py); uploads and geometry edits declare theirs.
KOMIN_BODY_MAX_BYTES = int(env("KOMIN_BODY_MAX_BYTES", str(1024 * 1024)))
KOMIN_GEOMETRY_BODY_MAX_BYTES = int(env("KOMIN_GEOMETRY_BODY_MAX_BYTES", str(16 * 1024 * 1024)))
# How long a write's Idempotency-Key and its first answer are kept (geoportal.idempotency).
KOMIN_IDEMPOTENCY_SECONDS = int(env("KOMIN_IDEMPOTENCY_SECONDS", str(24 * 3600)))

# Live updates (live/, GET /api/v1/events/): each open stream holds one gunicorn thread
# and two database connections. Caps per worker process; see the README's "Live updates".
KOMIN_EVENTS_MAX_STREAMS = int(env("KOMIN_EVENTS_MAX_STREAMS", "4"))
KOMIN_EVENTS_MAX_PER_USER = int(env("KOMIN_EVENTS_MAX_PER_USER", "2"))
KOMIN_EVENTS_MAX_SECONDS = int(env("KOMIN_EVENTS_MAX_SECONDS", "300"))
KOMIN_EVENTS_HEARTBEAT_SECONDS = int(env("KOMIN_EVENTS_HEARTBEAT_SECONDS", "15"))

# Production is HTTPS only (`manage.py check --deploy` is clean with these defaults).
# Behind a TLS proxy set SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https" (the
# header the proxy sets, and overwrites, and its value for HTTPS), or every request
# looks like plain HTTP and is redirected forever.
PRODUCTION = not (DEBUG or DEV)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if PRODUCTION else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER")
if _proxy_header and len(_proxy_header) != 2:
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER is '<header>,<value>', e.g. HTTP_X_FORWARDED_PROTO,https."
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if _proxy_header else None
SECURE_CONTENT_TYPE_NOSNIFF = True
# Origins only, to the basemap too (tile servers such as OpenStreetMap's ask for one).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy and Permissions-Policy: geoportal/security_headers.py.

# Background jobs on Celery. The broker is one setting: Redis (redis://127.0.0.1:6379/0)
# or RabbitMQ (amqp://guest:guest@127.0.0.1:5672//). Without one, tasks run inline
# (eager), so a laptop demo needs no broker and no worker.
CELERY_BROKER_URL = env("KOMIN_BROKER_URL") or env("CELERY_BROKER_URL") or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = "jobs.broker:Transport"  # one client per channel (jobs/broker.py)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True  # the Job table holds status and results
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-job leaves the job to be redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # jobs are long: one at a time per process
CELERY_TASK_DEFAULT_QUEUE = env("KOMIN_JOBS_QUEUE", "komin")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must not hold a request: a short try, then the outbox and the
# sweep below hand the work over once it is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# The sweep delivers outbox messages left pending while the broker was down.
KOMIN_OUTBOX_SWEEP_SECONDS = float(env("KOMIN_OUTBOX_SWEEP_SECONDS", "30"))
# The rates rollup (analytics.rollup): rebuilt for changed sections every so often; a
# read counts up to so many reports live, else it reads every report.
KOMIN_RATES_ROLLUP_SECONDS = float(env("KOMIN_RATES_ROLLUP_SECONDS", "30"))
KOMIN_RATES_ROLLUP_LIVE_MAX = int(env("KOMIN_RATES_ROLLUP_LIVE_MAX", "20000"))
CELERY_BEAT_SCHEDULE = {
    "outbox-and-jobs-sweep": {"task": "jobs.sweep", "schedule": KOMIN_OUTBOX_SWEEP_SECONDS},
    "rates-rollup": {"task": "analytics.rollup_refresh", "schedule": KOMIN_RATES_ROLLUP_SECONDS},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "komin@localhost")
if env("EMAIL_FILE_PATH"):  # with the file-based backend (a folder of sent messages)
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "geoportal.schema.KominAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Every API view is limited per anonymous client unless it names its own limits.
    "DEFAULT_THROTTLE_CLASSES": ["geoportal.limits.throttles.AnonReadThrottle"],
    "EXCEPTION_HANDLER": "geoportal.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Komin's input rules (geoportal.text) for every body: depth, numbers, characters.
    "DEFAULT_PARSER_CLASSES": [
        "geoportal.parsers.JSONParser",
        "geoportal.parsers.FormParser",
        "geoportal.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

SPECTACULAR_SETTINGS = {
    "TITLE": "Komin API",
    "DESCRIPTION": "Administrative boundaries, infrastructure layers, citizen reports and "
    "planning analytics for municipalities.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from our own static files (npm at set-up), never from a CDN.
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui-dist",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui-dist/favicon-32x32.png",
}

# The data folder: catalogued data sets (data/*/sources.toml) are fetched into it and
# read from it. The mirror is a local folder with the same layout that fetching copies
# from before going to the network (offline machines, CI); empty means none.
KOMIN_DATA_DIR = Path(env("KOMIN_DATA_DIR", str(BASE_DIR / ".local" / "data")))
_SHARED_DATA = BASE_DIR.parent / "shared" / "data"
KOMIN_DATA_MIRROR = env("KOMIN_DATA_MIRROR", str(_SHARED_DATA) if _SHARED_DATA.is_dir() else "")
# The basemap under every map: "raster" (the XYZ template KOMIN_BASEMAP_URL; in
# production OpenStreetMap's tile server by default, whose usage policy asks for its
# attribution, a Referer and no bulk downloading), "local" (vector tiles of the
# OpenStreetMap extract loaded by `manage.py load_osm_basemap`: for a LAN without
# Internet) or "none" (our boundaries only; development and tests by default).
OSM_TILE_SERVER = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
KOMIN_BASEMAP_URL = env("KOMIN_BASEMAP_URL", "" if DEV or DEBUG else OSM_TILE_SERVER)
KOMIN_BASEMAP = env("KOMIN_BASEMAP", "") or ("raster" if KOMIN_BASEMAP_URL else "none")
if KOMIN_BASEMAP not in ("raster", "local", "none"):
    raise ImproperlyConfigured(f"KOMIN_BASEMAP: raster, local or none, not {KOMIN_BASEMAP!r}.")
if KOMIN_BASEMAP != "raster":
    KOMIN_BASEMAP_URL = ""  # no image from another origin (CSP, admin map widget)
KOMIN_BASEMAP_ATTRIBUTION = env("KOMIN_BASEMAP_ATTRIBUTION", "© OpenStreetMap contributors")
KOMIN_BASEMAP_ATTRIBUTION_URL = env(
    "KOMIN_BASEMAP_ATTRIBUTION_URL", "https://www.openstreetmap.org/copyright"
)

# Debian 12's GDAL (3.6) cannot block file/network access from spatial references
# (Django's gis.W001). Uploaded files are opened only by the import services, which
# refuse sources that reference other files or URLs; the stack keeps Debian's GDAL.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
os.environ.setdefault("GDAL_HTTP_MAX_RETRY", "0")
os.environ.setdefault("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".none")

# Prometheus metrics at /metrics (geoportal/metrics.py): for clients in these networks
# (the real client, after KOMIN_TRUSTED_PROXIES) or with `Authorization: Bearer <token>`.
KOMIN_METRICS_NETWORKS = env_list("KOMIN_METRICS_NETWORKS", "127.0.0.1/32,::1/128")
KOMIN_METRICS_TOKEN = env("KOMIN_METRICS_TOKEN", "")
for _network in KOMIN_METRICS_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"KOMIN_METRICS_NETWORKS: {_network!r} is not an address or a CIDR network."
        ) from None

# HTTP caching of public answers (geoportal/http_cache.py): seconds for browsers and for
# shared caches (nginx, a CDN).
KOMIN_HTTP_MAX_AGE = int(env("KOMIN_HTTP_MAX_AGE", "60"))
KOMIN_HTTP_S_MAXAGE = int(env("KOMIN_HTTP_S_MAXAGE", "300"))

# Logs: JSON lines with the request id (geoportal/logs.py), or LOG_FORMAT=text. One line
# per request from `komin.request` at INFO (KOMIN_REQUEST_LOG=0 to leave it to the proxy).
LOG_FORMAT = env("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "geoportal.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "geoportal.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "komin.request": {
            "level": "INFO" if env_bool("KOMIN_REQUEST_LOG", True) else "WARNING",
        }
    },
}
