"""The ``STORAGES["default"]`` entry for uploaded evidence, built in one place so that the settings
and the S3 integration test (tests/test_s3_storage.py) use exactly the same options."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured


def s3_storage(*, bucket: str, endpoint_url: str = "", region: str = "", access_key: str = "",
               secret_key: str = "") -> dict[str, Any]:
    """S3-compatible object storage (MinIO, a cloud's OSS) through django-storages.

    Objects are private and never overwritten; nobody downloads from the bucket directly, every
    download goes through the permission-checked view, which reads the object with our credentials.
    """
    if not bucket:
        raise ImproperlyConfigured("FAZHI_S3_BUCKET must be set when FAZHI_STORAGE=s3.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }


def local_storage() -> dict[str, Any]:
    # MEDIA_ROOT, outside the web root; MEDIA_URL is None so nothing builds a public link to a file.
    return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
