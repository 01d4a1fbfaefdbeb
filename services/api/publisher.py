"""Re-export of the shared Kafka publisher, kept only for services/api/consumer.py's import.

New code imports `services.common.kafka_publisher`; this module goes once consumer.py does.
"""

from services.common.kafka_publisher import KafkaPublisher, Publisher, PublishError

__all__ = ["KafkaPublisher", "PublishError", "Publisher"]
