"""Keep `--dist loadgroup` working: tests marked `xdist_group` run on one worker.

pytest-xdist 3.8 marks a grouped test by appending "@group" to `item._nodeid`, which its
scheduler reads back from the test's id. pytest 9.2 keeps that id in `item._id` instead, so
the mark is lost, every grouped module is spread over all workers, and a module whose fixture
starts its own Chromiums starts them on each. This carries the suffix over; with versions
that agree it finds nothing to do.
"""

from __future__ import annotations

import pytest

try:
    from _pytest.nodeid import NodeId
except ImportError:  # pytest before 9.2 reads `_nodeid` itself
    NodeId = None


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own hook has marked the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The option exists only with pytest-xdist loaded (not under -p no:xdist).
    if NodeId is None or not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        grouped = getattr(item, "_nodeid", None)
        if isinstance(grouped, str) and grouped != item.nodeid:
            item._id = NodeId.parse(grouped)
