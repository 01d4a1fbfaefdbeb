"""Helpers shared by the tests and the benchmarks: one of each, in one place.

- `ports.free_port`: a free loopback port.
- `clock.set_clock`: move a file clock (the router and SLA watcher read `now` from it).
- `waiting.eventually` / `waiting.wait_until`: poll an asynchronous outcome with a deadline.
- `kafka.KafkaRecorder`: read a real topic from the beginning, `record` it, `expect` events.
"""
