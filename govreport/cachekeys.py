"""One version for what the government report pages show (the style of ``tasks/cachekeys.py``).

The report list, the report page and the dashboard's 4月1日 deadline notice are cached as rendered HTML under
this version. It is bumped now and after commit on every save or delete of a report, a section, a submission,
a publication or a government (signals in ``govreport.apps``: the services, the admin and the compiler all save
through the ORM) and by ``build_publication_docx``, whose ``update()`` sends no signal. These are rare writes
next to page views, so one global version is simpler than one per report and costs little.

The people named on the pages (who last changed a section or the report, who published) are covered by
``accounts.backends.users_version``, which the pages' keys also carry. The unit reports a report is compiled
from are not shown on these pages (the section editor, which shows them,
is not cached), so unit or annual-report writes do not bump it.
"""

from __future__ import annotations

from fazhi.versions import Version

GOVREPORT = _VERSION = Version("fazhi:govreport:version", 60 * 60 * 24 * 30)
govreport_version = _VERSION.read
bump_govreport_version = _VERSION.bump_now_and_after_commit
