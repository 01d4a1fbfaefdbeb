"""The ReplyChecker the API, the pages and the CLI use: channel -> platform -> checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from schemas.guidance import GuidanceReport
from schemas.registry import ChannelRegistry
from services.guidance.domain.draft import Draft
from services.guidance.domain.engine import check_draft
from services.guidance.domain.rules import Rules


class UnknownChannelError(LookupError):
    """The channel id is not in the registry."""

    def __init__(self, channel_id: str) -> None:
        super().__init__(f"unknown channel {channel_id!r}: not in the channel registry")
        self.channel_id = channel_id


class GuidanceChecker:
    """Checks drafts for a channel of the registry; `clock` is read once per check."""

    def __init__(
        self, *, rules: Rules, registry: ChannelRegistry, clock: Callable[[], datetime]
    ) -> None:
        self.rules = rules
        self.registry = registry
        self.clock = clock

    def check(
        self, *, channel_id: str, text: str, thread_text: str | None = None
    ) -> GuidanceReport:
        """The report on `text` posted from `channel_id`, answering `thread_text`.

        Raises UnknownChannelError for a channel the registry does not have, and
        DraftTooLongError for a draft over MAX_DRAFT_CHARS.
        """
        channel = self.registry.get(channel_id)
        if channel is None:
            raise UnknownChannelError(channel_id)
        draft = Draft(
            text=text, platform=channel.spec.platform, now=self.clock(), thread_text=thread_text
        )
        return check_draft(draft, self.rules)
