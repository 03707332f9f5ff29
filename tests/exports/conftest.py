from __future__ import annotations

import pytest

from tests.reports.conftest import world  # noqa: F401  (the small plan with an open period)
from tests.reports.test_s3_storage import bucket, s3_endpoint  # noqa: F401  (moto S3 server, a fresh bucket)


@pytest.fixture
def queued(settings, django_capture_on_commit_callbacks):
    """A deployment with the django-q2 worker (its database broker here). Returns ``ask(client, url)``,
    which posts and runs what the request left for after its commit, as a real commit would."""
    settings.FAZHI_WORKER = "django-q2"

    def ask(client, url):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url)

    return ask
