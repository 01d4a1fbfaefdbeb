"""The channel registry: every account, who works it, and each queue's calendar.

All three services read it (ingest resolves the addressed account, the router picks the
queue and calendar, the API scopes tokens), so its model and loader live in the shared
package. The file is plain YAML (`deploy/config/channels.yaml`), validated on load.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schemas.calendar import CalendarSpec, HolidaySource, TimeWindow
from schemas.enums import ChannelKind, Platform
from schemas.events import QUEUE_PATTERN

DEFAULT_REGISTRY_PATH = (
    Path(__file__).resolve().parent.parent / "deploy" / "config" / "channels.yaml"
)

QueueName = Annotated[str, Field(pattern=QUEUE_PATTERN)]


__all__ = [
    "DEFAULT_REGISTRY_PATH",
    "CalendarSpec",
    "Channel",
    "ChannelRegistry",
    "ChannelSpec",
    "HolidaySource",
    "QueueSpec",
    "RegistryError",
    "RegistryFile",
    "SlaSpec",
    "TimeWindow",
    "load_registry",
    "parse_registry",
]


class RegistryError(ValueError):
    """The registry file is missing, unreadable or inconsistent; the message says where."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SlaSpec(_Strict):
    """Response-time targets, in office hours of the queue's calendar.

    The clock starts when the item becomes workable (release time for held items, receipt
    otherwise) and counts only the calendar's open time; a warning is due once `warn_at` of
    a target's office time has passed.
    """

    first_response_hours: float = Field(
        gt=0, le=2000, description="Office hours from workable to the first reply."
    )
    resolution_hours: float = Field(
        gt=0, le=2000, description="Office hours from workable to resolved."
    )
    warn_at: float = Field(
        default=0.75,
        gt=0,
        lt=1,
        description="Fraction of a target's office time after which a warning is due.",
    )

    @model_validator(mode="after")
    def _resolution_after_response(self) -> SlaSpec:
        if self.resolution_hours < self.first_response_hours:
            raise ValueError("resolution_hours must not be less than first_response_hours")
        return self


# Press and digital answer within 4 office hours, local and programme leads within one
# working day (8 office hours of the office calendar); resolution allows two and three days.
DEFAULT_SLA: dict[str, SlaSpec] = {
    "press": SlaSpec(first_response_hours=4, resolution_hours=16),
    "digital": SlaSpec(first_response_hours=4, resolution_hours=16),
    "triage": SlaSpec(first_response_hours=4, resolution_hours=16),
    "local": SlaSpec(first_response_hours=8, resolution_hours=24),
    "programme": SlaSpec(first_response_hours=8, resolution_hours=24),
}


def queue_family(queue: str) -> str:
    """press, digital, triage, local or programme: the part of a queue name before ':'."""
    return queue.split(":", 1)[0]


class QueueSpec(_Strict):
    """A queue: a team or a lead who works items, and the calendar they work to."""

    name: str = Field(description="Who works it, for people.")
    calendar: str = Field(default="office", description="Name of a calendar in `calendars`.")
    sla: SlaSpec | None = Field(
        default=None,
        description="This queue's response-time targets; default: `sla_defaults` for its "
        "family (press, digital, triage, local, programme).",
    )


class ChannelSpec(_Strict):
    """One account the organisation runs."""

    id: str = Field(pattern=r"^[a-z]+:[a-z0-9_.-]+$", description="Registry id, platform:account.")
    platform: Platform
    kind: ChannelKind
    name: str = Field(description="Account name for people.")
    handle: str = Field(description="Handle or page name as written publicly.")
    url: str | None = Field(default=None, description="Public URL of the account.")
    account_ids: list[str] = Field(
        default_factory=list,
        description="Platform-side ids of the account (page id, user id, channel id) that "
        "webhooks and APIs address it by.",
    )
    queue: QueueName | None = Field(
        default=None,
        description="Owner queue. Required for local and programme channels; corporate "
        "channels take their platform's team from `corporate_owners` unless set here.",
    )

    @model_validator(mode="after")
    def _id_matches_platform(self) -> ChannelSpec:
        if not self.id.startswith(f"{self.platform.value}:"):
            raise ValueError(f"channel id {self.id!r} must start with '{self.platform.value}:'")
        return self


class Channel(BaseModel):
    """A channel with its owner resolved."""

    model_config = ConfigDict(frozen=True)

    spec: ChannelSpec
    queue: str
    rule: str
    rule_text: str

    @property
    def id(self) -> str:
        """Registry id."""
        return self.spec.id


class RegistryFile(_Strict):
    """The YAML file's shape."""

    version: int = Field(default=1)
    calendars: dict[str, CalendarSpec]
    queues: dict[QueueName, QueueSpec]
    corporate_owners: dict[Platform, QueueName] = Field(
        description="Which queue works each platform's corporate channels."
    )
    sla_defaults: dict[str, SlaSpec] = Field(
        default_factory=lambda: dict(DEFAULT_SLA),
        description="Response-time targets per queue family (press, digital, triage, local, "
        "programme); a queue's own `sla` overrides them.",
    )
    channels: list[ChannelSpec]

    @model_validator(mode="after")
    def _sla_families_known(self) -> RegistryFile:
        unknown = sorted(set(self.sla_defaults) - set(DEFAULT_SLA))
        if unknown:
            raise ValueError(f"sla_defaults: unknown queue families {unknown}")
        return self


def _norm(account: str) -> str:
    a = account.strip().lower()
    a = re.sub(r"^https?://", "", a)
    a = re.sub(r"^(www\.|m\.|mobile\.)", "", a)
    return a.rstrip("/").removeprefix("@")


class ChannelRegistry:
    """Validated, indexed registry. Handles and URLs are matched case-insensitively."""

    def __init__(self, data: RegistryFile) -> None:
        self.data = data
        self.calendars = data.calendars
        self.queues = data.queues
        self._channels: dict[str, Channel] = {}
        self._by_account: dict[tuple[Platform | None, str], str] = {}
        self._ambiguous: set[str] = set()
        problems = self._check_queues()
        for spec in data.channels:
            problems += self._add(spec)
        if problems:
            raise RegistryError("channel registry is invalid:\n  - " + "\n  - ".join(problems))

    def _check_queues(self) -> list[str]:
        problems = [
            f"queue {q!r} uses unknown calendar {s.calendar!r}"
            for q, s in self.queues.items()
            if s.calendar not in self.calendars
        ]
        if "triage" not in self.queues:
            problems.append("queue 'triage' must exist: unknown channels go there")
        problems += [
            f"corporate_owners[{p.value}] is unknown queue {q!r}"
            for p, q in self.data.corporate_owners.items()
            if q not in self.queues
        ]
        return problems

    def _owner(self, spec: ChannelSpec) -> tuple[str, str, str] | str:
        if spec.queue is not None:
            if spec.kind is not ChannelKind.CORPORATE and not spec.queue.startswith(
                f"{spec.kind.value}:"
            ):
                kind = spec.kind.value
                return f"channel {spec.id}: a {kind} channel's queue must be {kind}:<name>"
            text = f"channel {spec.id} ({spec.kind.value}) is owned by queue {spec.queue}"
            return spec.queue, f"channel-owner:{spec.id}", text
        if spec.kind is not ChannelKind.CORPORATE:
            return f"channel {spec.id}: {spec.kind.value} channels need an explicit queue"
        queue = self.data.corporate_owners.get(spec.platform)
        if queue is None:
            return f"channel {spec.id}: no corporate_owners entry for {spec.platform.value}"
        text = f"corporate {spec.platform.value} channels are worked by {queue}"
        return queue, f"corporate-platform:{spec.platform.value}", text

    def _add(self, spec: ChannelSpec) -> list[str]:
        if spec.id in self._channels:
            return [f"duplicate channel {spec.id!r}"]
        owner = self._owner(spec)
        if isinstance(owner, str):
            return [owner]
        queue, rule, text = owner
        if queue not in self.queues:
            return [f"channel {spec.id}: unknown queue {queue!r}"]
        self._channels[spec.id] = Channel(spec=spec, queue=queue, rule=rule, rule_text=text)
        problems = []
        names = [spec.id, spec.handle, *spec.account_ids] + ([spec.url] if spec.url else [])
        for name in {_norm(n) for n in names}:
            other = self._by_account.setdefault((spec.platform, name), spec.id)
            if other != spec.id:
                problems.append(f"account {name!r} is claimed by both {other} and {spec.id}")
            # Without a platform, a name two platforms share (a page and an Instagram
            # account both called 'nhshee') is ambiguous and resolves to nothing.
            if self._by_account.setdefault((None, name), spec.id) != spec.id:
                self._ambiguous.add(name)
        return problems

    def __iter__(self) -> Iterator[Channel]:
        return iter(self._channels.values())

    def __len__(self) -> int:
        return len(self._channels)

    def get(self, channel_id: str) -> Channel | None:
        """Channel by registry id."""
        return self._channels.get(channel_id)

    def resolve(self, account: str, platform: Platform | None = None) -> Channel | None:
        """Find the channel an account string names: id, handle, @handle, URL or platform id."""
        name = _norm(account)
        if platform is None and name in self._ambiguous:
            return None
        cid = self._by_account.get((platform, name))
        return self._channels.get(cid) if cid else None

    def sla_for_queue(self, queue: str) -> SlaSpec:
        """A queue's response-time targets: its own, else its family's (unknown: triage's)."""
        spec = self.queues.get(queue)
        if spec is not None and spec.sla is not None:
            return spec.sla
        family = queue_family(queue) if spec is not None else "triage"
        return self.data.sla_defaults.get(family) or DEFAULT_SLA[family]

    def calendar_for_queue(self, queue: str) -> tuple[str, CalendarSpec]:
        """The calendar name and spec a queue works to (unknown queues use triage's)."""
        spec = self.queues.get(queue) or self.queues["triage"]
        return spec.calendar, self.calendars[spec.calendar]


def parse_registry(text: str, *, source: str = "<string>") -> ChannelRegistry:
    """Parse and validate registry YAML text."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise RegistryError(f"{source}: not valid YAML: {err}") from err
    try:
        data = RegistryFile.model_validate(raw)
    except ValidationError as err:
        lines = [
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in err.errors(include_url=False)
        ]
        raise RegistryError(
            f"{source}: channel registry is invalid:\n  - " + "\n  - ".join(lines)
        ) from err
    try:
        return ChannelRegistry(data)
    except RegistryError as err:
        raise RegistryError(f"{source}: {err}") from err


def load_registry(path: Path | str = DEFAULT_REGISTRY_PATH) -> ChannelRegistry:
    """Load and validate the registry file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise RegistryError(f"cannot read channel registry {p}: {err.strerror}") from err
    return parse_registry(text, source=str(p))
