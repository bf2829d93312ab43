"""The duplicate filter's bound: the oldest frames are forgotten first, the rest remembered."""

from __future__ import annotations

from lorahub.pipeline.dedup import DuplicateFilter
from tests.unit.test_pipeline_parts import S, _uplink


def test_oldest_frames_are_forgotten_beyond_max_entries() -> None:
    dedup = DuplicateFilter(window_s=300, max_entries=2)
    for f_cnt in (1, 2, 3):
        assert not dedup.is_duplicate(_uplink(f_cnt, 100 * S))
    assert not dedup.is_duplicate(_uplink(1, 101 * S)), "frame 1 was forgotten"
    assert dedup.is_duplicate(_uplink(3, 101 * S)), "frame 3 is remembered"


def test_a_frame_seen_again_after_the_window_is_new_and_restarts_its_window() -> None:
    dedup = DuplicateFilter(window_s=300, max_entries=10)
    assert not dedup.is_duplicate(_uplink(1, 0))
    assert not dedup.is_duplicate(_uplink(1, 1000 * S))
    assert dedup.is_duplicate(_uplink(1, 1001 * S))


def test_switched_off_with_zero_entries() -> None:
    dedup = DuplicateFilter(window_s=300, max_entries=0)
    assert not dedup.is_duplicate(_uplink(1, 0))
    assert not dedup.is_duplicate(_uplink(1, S))
