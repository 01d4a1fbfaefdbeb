"""Re-export of the shared Kafka publisher, kept only for services/api/projector_loop.py's import.

New code imports `services.common.kafka_publisher`; this module goes once projector_loop.py does.
"""

from services.common.kafka_publisher import KafkaPublisher, Publisher, PublishError

__all__ = ["KafkaPublisher", "PublishError", "Publisher"]
