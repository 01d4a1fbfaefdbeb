"""The faust app factory: one broker, in-memory stores rebuilt from changelogs."""

from __future__ import annotations

from pathlib import Path

import faust

from services.common.private import private_dir
from services.common.settings import KafkaSettings
from services.router.settings import RouterSettings


def faust_app_id(router: RouterSettings, kafka: KafkaSettings) -> str:
    """The faust app id: the topic prefix keeps tenants' groups and changelogs apart."""
    return f"{kafka.topic_prefix}{router.app_id}"


def create_app(*, router: RouterSettings, kafka: KafkaSettings, data_dir: Path) -> faust.App:
    """A faust app configured for Switchboard's router; no agents yet (see agents.py)."""
    private_dir(data_dir)
    return faust.App(
        faust_app_id(router, kafka),
        broker=[f"kafka://{server.strip()}" for server in kafka.bootstrap_servers.split(",")],
        # No RocksDB here: tables live in memory and are rebuilt from their changelog topics
        # on every start, which is what makes holds survive a restart.
        store="memory://",
        autodiscover=False,
        datadir=str(data_dir),
        web_enabled=True,
        web_bind=router.web_host,
        web_host=router.web_host,
        web_port=router.web_port,
        processing_guarantee="at_least_once",
        topic_replication_factor=kafka.replication_factor,
        table_standby_replicas=0,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        # One local broker: notice a dead member and rebalance in seconds, not minutes.
        broker_session_timeout=6.0,
        broker_heartbeat_interval=1.0,
        broker_rebalance_timeout=15.0,
        broker_request_timeout=float(kafka.request_timeout_ms) / 1000 + 5,
        broker_commit_interval=1.0,
        stream_recovery_delay=0.0,
        consumer_max_fetch_size=1024**2,
        # Every item makes three sends (routed event, seen and held changelogs). Without a
        # linger each goes out as its own produce request and the socket writes dominate
        # the profile; a few ms batch them at no cost to ordering or the commit guarantee.
        producer_linger_ms=router.producer_linger_ms,
    )
