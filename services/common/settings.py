"""Settings shared by every service. Each service composes these with its own prefix.

Settings are built in an entrypoint and passed down; nothing reads the environment at
import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.registry import DEFAULT_REGISTRY_PATH
from schemas.topics import TopicSpec

REPO_ROOT = Path(__file__).resolve().parents[2]


class PathSettings(BaseSettings):
    """Where local state lives."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_", extra="ignore")

    data_dir: Path = Field(
        default=REPO_ROOT / ".local",
        description="Folder for local state: broker jars and data, SQLite database, cursors.",
    )
    registry_path: Path = Field(
        default=DEFAULT_REGISTRY_PATH, description="Channel registry YAML file."
    )


class KafkaSettings(BaseSettings):
    """How clients reach Kafka."""

    # populate_by_name: KafkaSettings(bootstrap_servers=...) must not be silently ignored
    # because the field is read from the environment under an alias.
    model_config = SettingsConfigDict(
        env_prefix="SWITCHBOARD_KAFKA_", extra="ignore", populate_by_name=True
    )

    bootstrap_servers: str = Field(
        default="127.0.0.1:19092",
        validation_alias=AliasChoices(
            "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"
        ),
        description="Comma-separated host:port list of brokers.",
    )
    topic_prefix: str = Field(
        default="",
        description="Prefix added to every topic name (isolates test runs or tenants).",
    )
    replication_factor: int = Field(
        default=1, ge=1, description="Replication factor for topics Switchboard creates."
    )
    request_timeout_ms: int = Field(default=15_000, ge=1_000, description="Client request timeout.")

    def topic(self, spec: TopicSpec) -> str:
        """The deployed name of a topic."""
        return spec.qualified(self.topic_prefix)


class LocalBrokerSettings(BaseSettings):
    """The local single-node KRaft broker that `switchboard kafka up` runs."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_LOCAL_KAFKA_", extra="ignore")

    broker_port: int = Field(default=19092, description="PLAINTEXT listener on 127.0.0.1.")
    controller_port: int = Field(default=19093, description="KRaft controller listener.")
    heap_min: str = Field(default="256m", description="JVM -Xms.")
    heap_max: str = Field(default="768m", description="JVM -Xmx.")
    start_timeout_s: float = Field(default=90.0, description="How long to wait for readiness.")
