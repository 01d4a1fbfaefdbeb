"""Delivering one reply (or moderation request) to its platform: exactly one post.

The order of writes is what makes a post happen once:
1. the reply is recorded on first sight; a request is counted durably BEFORE it is sent;
2. the outcome is recorded, THEN its work event is published (and acknowledged);
3. only then is the input's offset committed (by the worker).
A redelivered Reply with a recorded outcome re-announces it (same event id) and posts nothing.
A request that was sent but never answered (timeout, crash) may have been posted: on X the
same request is sent again and X's "duplicate content" answer counts as posted; elsewhere the
reply fails as `unavailable`, for a person to check the platform before retrying.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from schemas.enums import Platform
from schemas.envelope import make_event_id
from schemas.events import DeadLetter, Reply
from schemas.work import (
    ActorKind,
    FailureClass,
    ModerationApplied,
    ModerationFailed,
    ModerationOp,
    ModerationRequested,
    ReplyFailed,
    ReplyPublished,
    ReplyRetried,
    WorkDetail,
    WorkEvent,
)
from services.publisher.adapters.credentials import AccountCredentials
from services.publisher.adapters.http import (
    MissingCredentialsError,
    NoAnswerError,
    NotSentError,
    PlatformPort,
)
from services.publisher.adapters.store import FAILED, IN_FLIGHT, PUBLISHED, AttemptStore
from services.publisher.domain.backoff import Backoff
from services.publisher.domain.classify import posted, refusal
from services.publisher.domain.model import Answer, PlatformRequest, Posted, Refused, ReplyTarget
from services.publisher.domain.ratelimit import AccountPauses, pause_until, retry_after
from services.publisher.domain.requests import (
    ApiVersions,
    BadTargetError,
    UnsupportedError,
    moderation_request,
    reply_request,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

SERVICE = "publisher"
UNKNOWN_ID = "unknown:duplicate-after-timeout"


class Outbox(Protocol):
    """Where outcomes go; each call returns once the broker acknowledged the event."""

    async def work(self, event: WorkEvent) -> None:
        """Publish a work event on inbox.work.v1."""
        ...

    async def dead_letter(self, letter: DeadLetter) -> None:
        """Publish a dead letter on inbox.deadletter.v1."""
        ...


class PermanentFailureError(Exception):
    """The platform refused a reply for good (the dead letter's error type)."""


@dataclass(frozen=True)
class Source:
    """Where an input came from, for its dead letter."""

    raw: bytes
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class DeliveryConfig:
    """How hard to try."""

    backoff: Backoff
    max_requests: int = 6
    max_wait_s: float = 900.0
    permalink_base: str | None = None
    versions: ApiVersions = field(default_factory=ApiVersions)
    usage_pause: timedelta = timedelta(minutes=5)


def platform_of(channel_id: str) -> Platform | None:
    """Registry channel ids start with the platform (`twitter:hee_kss`)."""
    head = channel_id.split(":", 1)[0]
    return Platform(head) if head in Platform.__members__.values() else None


class Delivery:
    """Posts replies and applies moderation, one account's work at a time (the worker's lanes)."""

    def __init__(
        self,
        *,
        clients: Mapping[Platform, PlatformPort],
        credentials: Mapping[str, AccountCredentials],
        store: AttemptStore,
        outbox: Outbox,
        config: DeliveryConfig,
        clock: Callable[[], datetime],
        sleep: Callable[[float], Awaitable[None]],
        queue_of: Callable[[Reply], str],
    ) -> None:
        self._clients, self._creds, self._store = clients, credentials, store
        self._outbox, self._cfg, self._clock, self._sleep = outbox, config, clock, sleep
        self._queue_of = queue_of
        self.pauses = AccountPauses()

    @staticmethod
    async def _db(fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Store calls run in a thread: a synchronous commit (fsync) never stalls other lanes."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    # -- replies --------------------------------------------------------------------------

    async def reply(self, reply: Reply, *, source: Source) -> None:
        """Deliver a Reply from outbox.replies.v1 (or re-announce its recorded outcome)."""
        rid = str(reply.reply_id)
        if await self._db(self._store.reply, rid) is None:
            await self._db(
                self._store.register,
                reply_id=rid,
                reply_json=reply.model_dump_json(),
                queue=self._queue_of(reply),
                now=self._clock(),
            )
        await self._deliver(reply, source=source)

    async def retry(self, event: WorkEvent, *, source: Source) -> None:
        """A person's ReplyRetried: a new round for a failed reply."""
        detail = event.detail
        assert isinstance(detail, ReplyRetried)
        record = await self._db(self._store.reply, str(detail.reply_id))
        if record is None:
            err = PermanentFailureError(f"retry of reply {detail.reply_id}, never received")
            await self.dead_letter(err, source=source, platform=platform_of(event.channel_id))
            return
        reply = Reply.model_validate_json(record.reply_json)
        if record.state != PUBLISHED and record.round < detail.attempt:
            await self._db(
                self._store.start_round,
                str(detail.reply_id),
                round_=detail.attempt,
                now=self._clock(),
            )
        await self._deliver(reply, source=Source(raw=record.reply_json.encode()))

    async def _deliver(self, reply: Reply, *, source: Source) -> None:
        rid = str(reply.reply_id)
        record = await self._db(self._store.reply, rid)
        assert record is not None
        if record.state in (PUBLISHED, FAILED) and record.outcome_json:
            await self._outbox.work(WorkEvent.model_validate_json(record.outcome_json))
            return
        ambiguous = record.ambiguous or record.state == IN_FLIGHT  # crashed mid-request
        if ambiguous and not record.ambiguous:
            await self._db(self._store.mark_ambiguous, rid)
        creds = self._creds.get(reply.channel_id)
        if creds is None:
            await self._failed(
                reply,
                Refused(
                    FailureClass.NOT_CONNECTED,
                    f"not connected: no credentials for {reply.channel_id}",
                    True,
                ),
                requests=record.requests,
                source=source,
            )
            return
        target = ReplyTarget(
            reply.platform,
            reply.channel_id,
            reply.in_reply_to,
            reply.text,
            thread_id=reply.thread_id,
            actor_urn=creds.actor_urn,
        )
        try:
            request = reply_request(target, versions=self._cfg.versions)
        except (BadTargetError, UnsupportedError) as err:
            refused = Refused(FailureClass.INVALID, str(err), False)
            await self._failed(reply, refused, requests=record.requests, source=source)
            return
        await self._attempts(reply, target, request, creds, ambiguous=ambiguous, source=source)

    async def _attempts(
        self,
        reply: Reply,
        target: ReplyTarget,
        request: PlatformRequest,
        creds: AccountCredentials,
        *,
        ambiguous: bool,
        source: Source,
    ) -> None:
        rid, account = str(reply.reply_id), reply.channel_id
        record = await self._db(self._store.reply, rid)
        requests = record.requests if record else 0
        for sent in range(1, self._cfg.max_requests + 1):
            if ambiguous and reply.platform is not Platform.TWITTER:
                await self._conclude(reply, self._unsure(reply.platform), requests, source)
                return
            blocked = await self._wait_for(account)
            if blocked is not None:
                await self._conclude(reply, blocked, requests, source)
                return
            requests = await self._db(self._store.begin_request, rid, now=self._clock())
            outcome = await self._exchange(reply.platform, account, request, creds)
            if isinstance(outcome, Answer):
                judged = self._judge(target, outcome, ambiguous=ambiguous)
                if isinstance(judged, Posted) or not judged.transient:
                    await self._conclude(reply, judged, requests, source)
                    return
                outcome = judged
            elif outcome.unanswered:
                ambiguous = True
                await self._db(self._store.mark_ambiguous, rid)
            elif not outcome.transient:
                await self._conclude(reply, outcome, requests, source)
                return
            if not outcome.unanswered:  # answered: a restart during the backoff is not unsure
                await self._db(self._store.settle, rid)
            delay = self._cfg.backoff.wait(sent, retry_after_s=outcome.retry_after_s)
            if sent == self._cfg.max_requests or delay > self._cfg.max_wait_s:
                await self._conclude(reply, outcome, requests, source)
                return
            logger.info("reply %s: %s; retry %d in %.2fs", rid, outcome.failure.value, sent, delay)
            await self._sleep(delay)

    @staticmethod
    def _unsure(platform: Platform) -> Refused:
        return Refused(
            FailureClass.UNAVAILABLE,
            f"{platform.value} may have received the reply without answering (timed out after "
            "sending); check the platform before retrying, to avoid a second post",
            True,
        )

    def _judge(self, target: ReplyTarget, answer: Answer, *, ambiguous: bool) -> Posted | Refused:
        refused = refusal(target.platform, answer, retry_after_s=self._retry_s(answer))
        if refused is None:
            return posted(target, answer, permalink_base=self._cfg.permalink_base)
        if refused.duplicate and ambiguous:
            # X refuses the same text twice: the unanswered request was posted.
            return Posted(UNKNOWN_ID)
        return refused

    async def _conclude(
        self, reply: Reply, result: Posted | Refused, requests: int, source: Source
    ) -> None:
        if isinstance(result, Posted):
            await self._published(reply, result, requests=requests)
        else:
            await self._failed(reply, result, requests=requests, source=source)

    async def _wait_for(self, account: str) -> Refused | None:
        wait = self.pauses.wait_s(account, now=self._clock())
        if wait > self._cfg.max_wait_s:
            return Refused(
                FailureClass.RATE_LIMITED,
                f"{account} is rate limited for another {wait:.0f}s",
                True,
            )
        if wait > 0:
            logger.info("%s is rate limited: waiting %.2fs", account, wait)
            await self._sleep(wait)
        return None

    def _retry_s(self, answer: Answer) -> float | None:
        now = self._clock()
        until = retry_after(answer.headers, now=now)
        return None if until is None else max(0.0, (until - now).total_seconds())

    async def _exchange(
        self, platform: Platform, account: str, request: PlatformRequest, creds: AccountCredentials
    ) -> Answer | Refused:
        """One request; transport failures as transient refusals."""
        client = self._clients[platform]
        try:
            answer = await client.send(request, creds)
        except MissingCredentialsError as err:
            return Refused(FailureClass.NOT_CONNECTED, f"not connected: {err}", True)
        except NotSentError as err:
            return Refused(FailureClass.UNAVAILABLE, str(err), True, True)
        except NoAnswerError as err:
            return Refused(FailureClass.UNAVAILABLE, str(err), True, True, unanswered=True)
        until = pause_until(
            platform, answer.headers, now=self._clock(), usage_pause=self._cfg.usage_pause
        )
        self.pauses.note(account, until)
        return answer

    def _event(
        self, *, item: uuid.UUID, channel: str, queue: str, command: uuid.UUID, detail: WorkDetail
    ) -> WorkEvent:
        return WorkEvent.create(
            item_event_id=item,
            channel_id=channel,
            queue=queue,
            actor_kind=ActorKind.SERVICE,
            actor=SERVICE,
            command_id=command,
            detail=detail,
            occurred_at=self._clock(),
        )

    async def _reply_event(self, reply: Reply, detail: WorkDetail) -> WorkEvent:
        record = await self._db(self._store.reply, str(reply.reply_id))
        assert record is not None
        command = make_event_id(SERVICE, "reply", str(reply.reply_id), str(record.round))
        return self._event(
            item=reply.item_event_id,
            channel=reply.channel_id,
            queue=record.queue,
            command=command,
            detail=detail,
        )

    async def _published(self, reply: Reply, result: Posted, *, requests: int) -> None:
        detail = ReplyPublished(
            reply_id=reply.reply_id,
            platform_reply_id=result.platform_id[:200],
            permalink=result.permalink,
            attempts=max(requests, 1),
        )
        event = await self._reply_event(reply, detail)
        await self._db(
            self._store.finish,
            str(reply.reply_id),
            state=PUBLISHED,
            outcome_json=event.model_dump_json(),
            now=self._clock(),
        )
        await self._outbox.work(event)

    async def _failed(
        self, reply: Reply, refused: Refused, *, requests: int, source: Source
    ) -> None:
        detail = ReplyFailed(
            reply_id=reply.reply_id,
            failure=refused.failure,
            error=refused.error[:2000],
            retryable=refused.retryable,
            attempts=requests,
        )
        event = await self._reply_event(reply, detail)
        await self._db(
            self._store.finish,
            str(reply.reply_id),
            state=FAILED,
            outcome_json=event.model_dump_json(),
            now=self._clock(),
        )
        await self._outbox.work(event)
        logger.warning("reply %s failed: %s", reply.reply_id, refused.failure.value)
        if not refused.retryable:
            err = PermanentFailureError(f"{refused.failure.value}: {refused.error}")
            await self.dead_letter(err, source=source, platform=reply.platform)

    async def dead_letter(
        self, err: Exception, *, source: Source, platform: Platform | None
    ) -> None:
        """Publish the input that failed, with why, on inbox.deadletter.v1."""
        await self._outbox.dead_letter(
            DeadLetter.from_error(
                source=SERVICE,
                error=err,
                raw=source.raw,
                now=self._clock(),
                platform=platform,
                topic=source.topic,
                partition=source.partition,
                offset=source.offset,
            )
        )

    # -- moderation -----------------------------------------------------------------------

    async def moderate(self, event: WorkEvent) -> None:
        """Carry out a ModerationRequested (hide, unhide, delete) once; announce the outcome."""
        detail = event.detail
        assert isinstance(detail, ModerationRequested)
        mid = str(detail.moderation_id)
        recorded = await self._db(self._store.moderation, mid)
        if recorded is not None:
            await self._outbox.work(WorkEvent.model_validate_json(recorded))
            return
        await self._db(self._store.begin_moderation, mid, now=self._clock())
        refused = await self._moderation_result(event, detail)
        out: WorkDetail
        if refused is None:
            out = ModerationApplied(moderation_id=detail.moderation_id, operation=detail.operation)
        else:
            out = ModerationFailed(
                moderation_id=detail.moderation_id,
                operation=detail.operation,
                failure=refused.failure,
                error=refused.error[:2000],
            )
        outcome = self._event(
            item=event.item_event_id,
            channel=event.channel_id,
            queue=event.queue,
            detail=out,
            command=make_event_id(SERVICE, "moderation", mid),
        )
        await self._db(
            self._store.finish_moderation,
            mid,
            state=out.type,
            outcome_json=outcome.model_dump_json(),
            now=self._clock(),
        )
        await self._outbox.work(outcome)

    async def _moderation_result(
        self, event: WorkEvent, detail: ModerationRequested
    ) -> Refused | None:
        platform = platform_of(event.channel_id)
        creds = self._creds.get(event.channel_id)
        if platform is None:
            return Refused(FailureClass.INVALID, f"unknown platform of {event.channel_id}", False)
        try:
            request = moderation_request(
                platform, detail.operation, detail.platform_item_id, versions=self._cfg.versions
            )
        except (UnsupportedError, BadTargetError) as err:
            return Refused(FailureClass.INVALID, str(err), False)
        if creds is None:
            missing = f"not connected: no credentials for {event.channel_id}"
            return Refused(FailureClass.NOT_CONNECTED, missing, True)
        deleting = detail.operation is ModerationOp.DELETE
        return await self._moderation_requests(
            event.channel_id, platform, request, creds, deleting=deleting
        )

    async def _moderation_requests(
        self,
        account: str,
        platform: Platform,
        request: PlatformRequest,
        creds: AccountCredentials,
        *,
        deleting: bool,
    ) -> Refused | None:
        """Send until applied or refused for good.

        Hiding and deleting are idempotent, so an unanswered request is simply sent again.
        """
        for sent in range(1, self._cfg.max_requests + 1):
            blocked = await self._wait_for(account)
            if blocked is not None:
                return blocked
            outcome = await self._exchange(platform, account, request, creds)
            if isinstance(outcome, Answer):
                refused = refusal(platform, outcome, retry_after_s=self._retry_s(outcome))
                if refused is None or (deleting and refused.failure is FailureClass.GONE):
                    return None  # applied (a comment already gone is what deleting wanted)
                outcome = refused
            if not outcome.transient or sent == self._cfg.max_requests:
                return outcome
            await self._sleep(self._cfg.backoff.wait(sent, retry_after_s=outcome.retry_after_s))
        raise AssertionError("unreachable: the loop returns on its last request")
