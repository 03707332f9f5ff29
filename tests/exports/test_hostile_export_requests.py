"""Hostile audit filters on the export request: a clean refusal or a correct file, never a 500 or a stray job."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from audit.forms import AuditSearchForm
from exports.models import ExportJob, ExportState
from tests.hostile_support import HOSTILE, SETTINGS

KEYS = st.sampled_from(["source", "user", "action", "model", "date_from", "date_to", "q", "page", "export", "x"])
VALUES = st.one_of(HOSTILE, st.sampled_from(["security", "changes", "2026-01-01", "login", "1"]))


def test_hostile_filters_are_refused_or_exported_never_half_done(coordinator_client, coordinator,
                                                                 django_capture_on_commit_callbacks):
    outcomes: Counter[str] = Counter()

    @SETTINGS
    @given(query=st.dictionaries(KEYS, VALUES, max_size=3))
    def post(query: dict[str, str]) -> None:
        before = set(ExportJob.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            response = coordinator_client.post("/exports/audit/?" + urlencode(query))
        assert response.status_code == 302
        new = ExportJob.objects.exclude(pk__in=before)
        if response["Location"] == "/audit/":
            assert not new.exists()
            outcomes["refused"] += 1
            return
        job = ExportJob.objects.get(pk=int(response["Location"].split("/")[2]))
        assert job.state == ExportState.DONE, job.error
        assert set(job.params["query"]) <= set(AuditSearchForm.base_fields)
        assert coordinator_client.get(f"/exports/{job.pk}/download/").status_code == 200
        outcomes["exported"] += 1

    post()
    # Both paths must really be exercised, or the strategy has drifted into testing nothing.
    assert outcomes["exported"] >= 5 and outcomes["refused"] >= 5, outcomes
