"""Settings from the environment (``RIVERCHIEF_*``, ``DATABASE_URL``), validated at start-up.

Settings are built lazily by :func:`get_settings` (cached), never at import time, so tests and
the CLI can set the environment first.
"""

from __future__ import annotations

import os
import secrets
import time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Secrets that appear in examples and docs; refused outside development.
KNOWN_PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "changeme",
        "change-me",
        "changethis",
        "secret",
        "dev-secret",
        "development-secret-key-not-for-production-use",
        "please-change-me-to-a-long-random-string",
    }
)
REPO_ROOT = Path(__file__).resolve().parent.parent
SECRET_FILE = "development-secret-key"


def development_secret(state_dir: Path) -> str:
    """The random secret of this data directory, made on first use (development only).

    Why not a fixed development secret: it is published in the source, so anyone who can
    reach a ``make run`` server could sign office tokens for it. The file is created
    exclusively (mode 0600), so concurrent starts agree on one secret.
    """
    path = state_dir / SECRET_FILE
    if not path.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(48))
    for _ in range(50):  # another process may have created it and not written it yet
        value = path.read_text().strip()
        if len(value) >= 32:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"{path} does not hold a secret of at least 32 characters")


def normalise_database_url(url: str) -> str:
    """Accept the plain ``postgresql://`` form and select the psycopg 3 driver."""
    for prefix in (
        "postgresql+psycopg://",
        "postgresql+psycopg2://",
        "postgresql://",
        "postgres://",
    ):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Settings(BaseSettings):
    """All runtime settings; one flat class keeps the environment variable names obvious."""

    model_config = SettingsConfigDict(env_prefix="RIVERCHIEF_", extra="ignore")

    env: Literal["development", "production"] = "production"
    database_url: str = Field(
        default="postgresql://postgres@127.0.0.1:54329/riverchief",
        validation_alias=AliasChoices("DATABASE_URL", "RIVERCHIEF_DATABASE_URL"),
    )
    secret_key: str = ""
    access_token_minutes: int = 12 * 60

    # Geography
    focus_city_code: str = "511100"
    #: Projected CRS for planar work: CGCS2000 / 3-degree Gauss-Kruger CM 105E (covers 102-108E).
    metric_srid: int = 4507
    data_dir: Path = REPO_ROOT / "gis_data"
    media_dir: Path = REPO_ROOT / ".data" / "media"

    # Patrols (issue 3)
    track_max_bytes: int = 20 * 1024 * 1024
    #: Patrol uploads parsed and matched at once per worker process; more wait their turn
    #: holding no thread or connection, so map reads stay fast while phones upload (issue 9).
    upload_concurrency: int = Field(default=2, ge=1, le=64)
    #: Patrol uploads allowed to wait for one of those slots per worker; past it the next
    #: upload is refused with 503 and Retry-After (issue 14). The waiting bodies are in
    #: memory, so this bounds memory too: at most this many x ``track_max_bytes``.
    upload_queue_max: int = Field(default=8, ge=0, le=10_000)
    patrol_gap_m: float = 500.0
    patrol_min_duration_min: float = 10.0
    patrol_min_length_km: float = 1.0
    patrol_min_covered_km: float = 1.0
    patrol_min_coverage: float = 0.05
    #: JSON file replacing the patrol duties by level (default: service/patrols/duty_rules.py).
    duty_rules: str | None = None

    # Problems (issue 4)
    problem_snap_limit_m: float = 1000.0
    problem_duplicate_radius_m: float = 50.0
    problem_default_due_days: int = 30
    photo_max_bytes: int = 10 * 1024 * 1024
    #: Pixels per photo, read from the image header before anything is decoded (issue 14): a
    #: phone photo is 12-50 Mpx; a 254 kB PNG can declare 80 Mpx and decode to 320 MB.
    photo_max_pixels: int = Field(default=40_000_000, ge=1)
    #: Pixels of all photos of one request together (a public report takes up to three).
    photo_request_max_pixels: int = Field(default=80_000_000, ge=1)
    #: Photos decoded at once per worker (a 40 Mpx PNG takes 160 MB while decoding); the rest
    #: wait in the event loop holding no thread or connection.
    photo_decode_concurrency: int = Field(default=1, ge=1, le=64)

    # Cross-boundary (issue 5); why these values: service/cross_boundary/crossings.py
    #: Half-width of the band around the city boundary in which a river counts as "at" it, m.
    crossing_tolerance_m: float = 300.0
    #: Band pieces closer than this along a river form one run (a boundary river weaving), m.
    crossing_merge_gap_m: float = 3000.0
    #: A run that stays in the band this long without crossing is "along" the border, m.
    crossing_min_along_m: float = 3000.0

    # Tiles and OGC API (issue 8)
    #: Upper bound of the in-process tile cache, bytes (tiles are evicted least recently used).
    tile_cache_max_bytes: int = 64 * 1024 * 1024
    #: How long browsers may reuse a tile without asking (seconds); after that they revalidate
    #: with If-None-Match and get a cheap 304 while the layer's version is unchanged.
    tile_max_age_s: int = 30
    #: How often each worker re-reads the layers' data versions (seconds). Cache hits then
    #: cost no database round trip; 0 reads the version on every request instead.
    tile_version_poll_s: float = 1.0
    #: Tiles rendered at once per worker on a cache miss (the rest wait in the event loop).
    tile_render_concurrency: int = Field(default=2, ge=1, le=64)
    #: Above this many segments the web map draws segments, problems and areas from the
    #: vector tiles instead of whole-layer GeoJSON (issue 22; docs/map-tiles.md).
    map_tile_mode_segments: int = Field(default=5000, ge=0)
    #: How long a map read may be answered from memory while its layers' versions stay the
    #: same (bounds what depends on the clock: today's chiefs, overdue problems); 0 turns the
    #: read cache off (``service.web.read_cache``).
    read_cache_ttl_s: float = 30.0
    #: Bytes of answers the read cache keeps per worker (least recently used dropped first).
    read_cache_max_bytes: int = 64 * 1024 * 1024
    #: Idle keep-alive connections are closed after this many seconds. uvicorn's 5 s made
    #: clients that reuse a pooled connection just as the server closes it see a reset; above
    #: a reverse proxy's usual 60 s idle timeout, the proxy is the side that closes.
    keep_alive_s: int = Field(default=65, ge=1, le=3600)
    #: Largest page of OGC API items.
    ogc_max_limit: int = 10_000

    # Security (issue 9)
    #: Cap of any request body without its own upload limit (service.security.uploads).
    request_max_bytes: int = 1024 * 1024
    #: Failed sign-ins in a row before an account is locked, and for how long.
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    #: Failed sign-ins from one address within the window before it gets 429.
    login_ip_max_failures: int = 20
    login_ip_window_minutes: int = 15
    #: Minimum length of a new password.
    password_min_length: int = 8
    #: Wrong current passwords on ``POST /api/v1/auth/password`` per account and window.
    password_change_max_failures: int = 5
    #: Proxies whose ``X-Forwarded-For`` is believed (comma-separated addresses or CIDRs),
    #: for the rate limits and the audit log; default none: the peer address is the client.
    trusted_proxies: str = ""
    #: The address users reach the service at (``https://hz.leshan.gov.cn``): links the
    #: service writes (OGC links, notification messages, later QR codes) start with it.
    #: Empty: taken from the request, whose Host must then be one of ``allowed_hosts``
    #: (messages, which have no request, then carry site-relative paths).
    public_base_url: str = ""
    #: Host names (comma-separated, no port; ``*`` for any) requests may carry in ``Host``;
    #: the host of ``public_base_url`` is always allowed. Others get 400, so a forged Host
    #: never reaches a link or a cache key.
    allowed_hosts: str = "localhost,127.0.0.1,::1"
    #: Where development state lives: the secret generated when RIVERCHIEF_SECRET_KEY is
    #: unset in development (one per data directory, never a published one).
    state_dir: Path = REPO_ROOT / ".data"

    # Public supervision and to-do (issue 10)
    #: Public reports accepted from one address (and from one contact) per window; the
    #: next one gets 429 with Retry-After.
    public_report_limit: int = 5
    public_contact_limit: int = 3
    public_report_window_minutes: int = 60
    #: Proof-of-work challenges: leading zero bits of sha256(nonce + counter), lifetime.
    #: 16 bits is ~65,000 hashes: about a second on a phone, a cost a spammer pays per report.
    pow_difficulty: int = 16
    pow_ttl_seconds: int = 600
    #: Days the office has to moderate a public report (its to-do due date).
    public_moderation_days: int = 3
    #: Days a chief has to approve drafted minutes that carry no due date of their own.
    minutes_approval_days: int = 7
    #: Days the office or liaison unit has to re-check (复核) a rectified problem.
    rectification_verify_days: int = 7
    #: ``riverchief remind``: items due within this many days (or overdue) are reminded.
    reminder_days: int = 3
    #: POSTed a JSON list of new reminders after each run, if set (SMS / WeChat Work relay).
    reminder_webhook_url: str = ""
    reminder_webhook_timeout_s: float = 10.0

    # Notifications (issue 21): channels, the outbox worker, events. Channel settings may be
    # overridden by the office in the UI (stored encrypted, service.notifications.channels).
    #: Links in messages (tracking links, unsubscribe) start with ``public_base_url`` (above,
    #: Security): one address for every link the service writes.
    #: SMS provider adapter: "aliyun" (SendSms) or "" (no SMS).
    sms_provider: Literal["", "aliyun"] = ""
    sms_access_key_id: str = ""
    sms_access_key_secret: str = ""
    #: The approved SMS signature (签名), e.g. 乐山河长办.
    sms_sign_name: str = ""
    #: Where SendSms requests go (a test points it at a local server).
    sms_endpoint: str = "https://dysmsapi.aliyuncs.com/"
    #: Approved template code per event type, JSON: {"problem_assigned": "SMS_123", ...};
    #: "default" is used for event types without their own.
    sms_templates: dict[str, str] = Field(default_factory=dict)
    dingtalk_webhook_url: str = ""
    dingtalk_secret: str = ""
    wecom_webhook_url: str = ""
    #: smtp://user:pass@host:587 (STARTTLS, required) or smtps://... (TLS from the start).
    smtp_url: str = ""
    smtp_from: str = ""
    #: A CA bundle (PEM) to verify the SMTP server with, for a private CA; default: system CAs.
    smtp_ca_file: str = ""
    #: Seconds one delivery may take (connect + answer) before it counts as failed.
    notify_timeout_s: float = Field(default=10.0, gt=0, le=120)
    #: Attempts before a notification is marked failed (each retry waits twice as long).
    notify_max_attempts: int = Field(default=8, ge=1, le=50)
    notify_backoff_s: float = Field(default=60.0, ge=0, le=86400)
    notify_backoff_max_s: float = Field(default=6 * 3600.0, ge=0, le=7 * 86400)
    #: ``riverchief notify run``: seconds between looks at the outbox when it is idle.
    notify_poll_s: float = Field(default=10.0, gt=0, le=3600)
    #: An overdue problem is notified on its first overdue day, then every N days.
    notify_overdue_every_days: int = Field(default=7, ge=1, le=365)
    #: A chief is "behind" when a patrol duty is unmet this many days before its deadline.
    notify_patrol_warn_days: int = Field(default=30, ge=1, le=183)

    # Governance (issue 7)
    #: JSON file overriding the river health configuration (default: the MWR 2020 guideline).
    health_config: str | None = None
    #: JSON file overriding the annual assessment score sheet (default: the built-in sheet).
    assessment_sheet: str | None = None

    # Water quality at monitoring sections (issue 20)
    #: A section's point snaps to the nearest river within this many metres (or within the
    #: river's patrol tolerance, when a coarse line has a larger one).
    section_snap_limit_m: float = Field(default=1000.0, gt=0, le=10_000)
    #: A section this close (metres along its river) to where the river crosses the city
    #: boundary is that crossing's border section (交接断面): inflow or outflow, the neighbour.
    section_border_match_m: float = Field(default=5000.0, gt=0, le=50_000)
    #: Largest readings spreadsheet (CSV or XLSX) and most data rows in one import.
    readings_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    readings_max_rows: int = Field(default=5000, ge=1, le=100_000)

    # River archive and signboards (issue 19)
    #: The office's supervision phone number (监督电话) printed on every signboard and shown
    #: on its public page; default: the government service hotline every city answers.
    supervision_phone: str = Field(default="12345", max_length=40)
    #: The TrueType font embedded in signboard PDFs (reportlab embeds TrueType only; Debian
    #: fonts-wqy-zenhei, installed by scripts/install-system-deps.sh). A .ttc takes index 0.
    signboard_font_path: Path = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    #: A signboard stands by its reach: at most this many metres from the reach's line.
    signboard_max_distance_m: float = Field(default=500.0, gt=0, le=5000)

    # Map
    basemap: Literal["none", "osm", "tianditu"] = "none"
    tianditu_key: str = ""

    @field_validator("database_url")
    @classmethod
    def _driver(cls, value: str) -> str:
        return normalise_database_url(value)

    @model_validator(mode="after")
    def _secret(self) -> Settings:
        if self.env == "development":
            if not self.secret_key:
                self.secret_key = development_secret(self.state_dir)
            return self
        if self.secret_key in KNOWN_PLACEHOLDER_SECRETS or len(self.secret_key) < 32:
            raise ValueError(
                "RIVERCHIEF_SECRET_KEY must be set to a random string of at least 32 characters "
                "(not a placeholder) unless RIVERCHIEF_ENV=development"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, validated once."""
    return Settings()
