"""Generated files go through the storage API too: on S3 they are private objects under random names."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from exports import services
from exports.models import ExportKind
from tests.reports.test_s3_storage import _anonymous_get, _objects


def test_a_generated_summary_is_a_private_object_downloaded_through_the_view(world, leader, leader_client, bucket,
                                                                            s3_endpoint):
    job = services.request_export(user=leader, kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk})
    job = services.run_export(job_id=job.pk)
    stored = _objects(s3_endpoint, bucket)
    assert list(stored) == [job.file.name] and job.file.name.startswith("exports/") and "汇总" not in job.file.name
    assert _anonymous_get(s3_endpoint, bucket, job.file.name) == 403
    body = leader_client.get(f"/exports/{job.pk}/download/").getvalue()
    assert body == stored[job.file.name]
    assert load_workbook(io.BytesIO(body)).active.title == "报送汇总"

    services.prune_exports(keep_days=0, now=job.created_at.replace(year=job.created_at.year + 1))
    assert _objects(s3_endpoint, bucket) == {}
