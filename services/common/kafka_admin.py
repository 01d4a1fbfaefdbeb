"""Admin calls against the broker: readiness and idempotent topic creation."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from schemas.topics import ALL_TOPICS, TopicSpec

logger = logging.getLogger(__name__)


class BrokerUnavailableError(RuntimeError):
    """No broker answered an admin call."""


def admin_client(bootstrap_servers: str, *, timeout_ms: int = 5_000) -> KafkaAdminClient:
    """An admin client that gives up quickly when nothing answers."""
    try:
        return KafkaAdminClient(
            bootstrap_servers=bootstrap_servers.split(","),
            client_id="switchboard-admin",
            request_timeout_ms=timeout_ms,
            bootstrap_timeout_ms=timeout_ms,
            reconnect_backoff_max_ms=500,
        )
    except KafkaError as err:
        raise BrokerUnavailableError(
            f"no Kafka broker answered at {bootstrap_servers}: {err}"
        ) from err


def broker_ready(bootstrap_servers: str, *, timeout_ms: int = 3_000) -> bool:
    """True when a real admin call (describe cluster) succeeds."""
    try:
        client = admin_client(bootstrap_servers, timeout_ms=timeout_ms)
    except BrokerUnavailableError:
        return False
    try:
        client.describe_cluster()
        return True
    except KafkaError:
        return False
    finally:
        client.close()


def group_has_members(bootstrap_servers: str, group_id: str, *, timeout_ms: int = 3_000) -> bool:
    """True when consumer group `group_id` is Stable with at least one member.

    A stronger readiness signal for a consumer process than anything it wrote earlier: it is
    true only once this run's member has joined and been given its partitions.
    """
    try:
        client = admin_client(bootstrap_servers, timeout_ms=timeout_ms)
    except BrokerUnavailableError:
        return False
    try:
        group = client.describe_groups([group_id]).get(group_id, {})
    except KafkaError:
        return False
    finally:
        client.close()
    return group.get("group_state") == "Stable" and bool(group.get("members"))


@dataclass(frozen=True)
class TopicResult:
    """What topic creation did for one topic."""

    name: str
    created: bool


def create_topics(
    bootstrap_servers: str,
    *,
    prefix: str = "",
    specs: Iterable[TopicSpec] = ALL_TOPICS,
    replication_factor: int = 1,
    timeout_ms: int = 15_000,
) -> list[TopicResult]:
    """Create each topic that does not exist yet; existing topics are left as they are."""
    client = admin_client(bootstrap_servers, timeout_ms=timeout_ms)
    try:
        existing = set(client.list_topics())
        results = []
        for spec in specs:
            name = spec.qualified(prefix)
            if name in existing:
                results.append(TopicResult(name, created=False))
                continue
            topic = NewTopic(
                name=name,
                num_partitions=spec.partitions,
                replication_factor=replication_factor,
                topic_configs=spec.config(),
            )
            try:
                client.create_topics([topic], timeout_ms=timeout_ms)
                results.append(TopicResult(name, created=True))
                logger.info("created topic %s", name)
            except TopicAlreadyExistsError:
                # Another process won the race: that is the outcome we wanted.
                results.append(TopicResult(name, created=False))
        return results
    finally:
        client.close()
