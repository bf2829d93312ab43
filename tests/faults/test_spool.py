"""The spool on a real file system: order, bounds, segments, crash recovery, a full disk."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest

from lorahub.adapters.spool import MAGIC, Spool, SpoolFull
from lorahub.settings import SpoolSettings
from tests.faults.probes import tiny_tmpfs


def settings(folder: Path, **overrides: int) -> SpoolSettings:
    return SpoolSettings(dir=folder, **overrides)


def batch(number: int, lines: int = 3) -> list[str]:
    return [f"readings,device=d{number} value={i}i {number * 1000 + i}" for i in range(lines)]


def fill(spool: Spool, lines: list[str]) -> tuple[int, OSError]:
    """Append until refused: (batches appended, the refusal)."""
    for appended in range(100_000):
        try:
            spool.append(lines)
        except OSError as exc:
            return appended, exc
    raise AssertionError("never refused")


def drain(spool: Spool) -> list[list[str]]:
    out = []
    while (item := spool.peek()) is not None:
        out.append(item.lines)
        spool.commit(item)
    return out


def segments(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.seg"))


def test_batches_come_back_in_order_and_segments_are_freed(tmp_path: Path) -> None:
    spool = Spool(settings(tmp_path, segment_bytes=4096))
    for number in range(100):
        spool.append(batch(number))
    assert spool.depth().batches == 100
    assert len(segments(tmp_path)) > 1  # rolled over
    assert drain(spool) == [batch(number) for number in range(100)]
    assert spool.empty()
    assert spool.depth().batches == 0
    assert spool.depth().bytes == 0
    assert len(segments(tmp_path)) == 1  # the open one, emptied in place
    spool.append(batch(100))
    assert drain(spool) == [batch(100)]


def test_appends_behind_a_replay_in_progress_keep_their_order(tmp_path: Path) -> None:
    spool = Spool(settings(tmp_path, segment_bytes=4096))
    seen = []
    for number in range(50):
        spool.append(batch(number))
        if number % 3 == 0:
            item = spool.peek()
            assert item is not None
            seen.append(item.lines)
            spool.commit(item)
    seen += drain(spool)
    assert seen == [batch(number) for number in range(50)]


def test_reopen_resumes_after_the_last_committed_batch(tmp_path: Path) -> None:
    spool = Spool(settings(tmp_path, segment_bytes=4096))
    for number in range(40):
        spool.append(batch(number))
    for _ in range(25):
        item = spool.peek()
        assert item is not None
        spool.commit(item)
    spool.close()  # as after a crash: nothing else happens on the way out
    again = Spool(settings(tmp_path, segment_bytes=4096))
    assert again.depth().batches == 15
    assert drain(again) == [batch(number) for number in range(25, 40)]


@pytest.mark.parametrize("cut", [1, 5, 8, 20])
def test_a_torn_tail_is_detected_and_truncated(tmp_path: Path, cut: int) -> None:
    spool = Spool(settings(tmp_path))
    for number in range(3):
        spool.append(batch(number))
    spool.close()
    [segment] = segments(tmp_path)
    whole = segment.stat().st_size
    with segment.open("ab") as file:  # a crash in the middle of the next append
        file.write(b"\x40\x00\x00\x00\x12\x34\x56\x78" + bytes(64))
    with segment.open("r+b") as file:
        file.truncate(whole + cut)
    again = Spool(settings(tmp_path))
    assert segment.stat().st_size == whole
    again.append(batch(3))
    assert drain(again) == [batch(number) for number in range(4)]


def test_a_corrupt_record_ends_the_segment_where_it_starts(tmp_path: Path) -> None:
    spool = Spool(settings(tmp_path))
    spool.append(batch(0))
    spool.append(batch(1))
    spool.close()
    [segment] = segments(tmp_path)
    data = bytearray(segment.read_bytes())
    data[-3] ^= 0xFF  # a flipped bit in the last record's payload
    segment.write_bytes(bytes(data))
    assert drain(Spool(settings(tmp_path))) == [batch(0)]


def test_a_segment_without_header_is_removed(tmp_path: Path) -> None:
    (tmp_path / "000000000001.seg").write_bytes(b"garbage")
    spool = Spool(settings(tmp_path))
    assert spool.empty()
    assert not (tmp_path / "000000000001.seg").exists()


def test_the_size_bound_refuses_and_frees_again(tmp_path: Path) -> None:
    spool = Spool(settings(tmp_path, max_bytes=1 << 16, segment_bytes=8192))
    big = batch(0, lines=40)  # about 2 kB
    appended, refused = fill(spool, big)
    assert isinstance(refused, SpoolFull)
    assert refused.errno == errno.ENOSPC
    assert spool.disk_bytes() <= 1 << 16
    assert appended > 10
    assert len(drain(spool)) == appended
    spool.append(big)  # room again once drained
    assert spool.depth().batches == 1


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 256 kB tmpfs."""
    with tiny_tmpfs(tmp_path, "256k") as mount:
        yield mount


def test_a_full_disk_refuses_cleanly_and_keeps_every_whole_batch(tiny_filesystem: Path) -> None:
    spool = Spool(settings(tiny_filesystem, max_bytes=1 << 30, segment_bytes=1 << 20))
    big = batch(0, lines=100)
    appended, refused = fill(spool, big)
    assert refused.errno == errno.ENOSPC
    assert not isinstance(refused, SpoolFull)
    assert "No space left" in str(refused)
    with pytest.raises(OSError, match="No space left"):
        spool.append(big)  # still full, still refused, nothing torn left behind
    spool.close()
    reopened = Spool(settings(tiny_filesystem, max_bytes=1 << 30, segment_bytes=1 << 20))
    assert reopened.depth().batches == appended
    first = reopened.peek()
    assert first is not None
    assert first.lines == big
    assert segments(tiny_filesystem)[0].read_bytes().startswith(MAGIC)
