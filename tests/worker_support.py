"""Running what was queued for the django-q2 worker, in the test's own process."""

from __future__ import annotations

import pydoc

from django_q.brokers import get_broker
from django_q.signing import SignedPackage


def run_queue_like_the_cluster() -> int:
    """Take every message off the broker and execute it as a django-q2 worker does: unsign, locate, call."""
    broker = get_broker()
    ran = 0
    while batch := broker.dequeue():
        for ack_id, pack in batch:
            task = SignedPackage.loads(pack)
            pydoc.locate(task["func"])(*task["args"], **task["kwargs"])
            broker.acknowledge(ack_id)
            ran += 1
    return ran
