"""apps.core.memo.ProcessMemo: bounded, least recently used out first, None never kept."""

from __future__ import annotations

import threading

from apps.core.memo import ProcessMemo


def test_keeps_values_and_drops_the_least_recently_used_by_size():
    memo: ProcessMemo[str] = ProcessMemo(10, sizeof=len)
    memo.put("a", "aaaa")
    memo.put("b", "bbbb")
    assert memo.get("a") == "aaaa"  # a is now the most recently used
    memo.put("c", "cccc")  # 12 characters: b goes
    assert memo.get("b") is None
    assert memo.get("a") == "aaaa"
    assert memo.get("c") == "cccc"
    assert sorted(memo) == ["a", "c"]


def test_a_value_larger_than_the_memo_is_not_kept():
    memo: ProcessMemo[str] = ProcessMemo(3, sizeof=len)
    memo.put("big", "four")
    assert memo.get("big") is None
    assert len(memo) == 0


def test_get_or_make_makes_once_and_never_keeps_none():
    memo: ProcessMemo[int] = ProcessMemo(8)
    calls = []

    def make():
        calls.append(1)
        return 42

    assert memo.get_or_make("k", make) == 42
    assert memo.get_or_make("k", make) == 42
    assert len(calls) == 1
    assert memo.get_or_make("none", lambda: None) is None
    assert "none" not in memo
    memo.clear()
    assert len(memo) == 0


def test_threads_share_one_bounded_memo():
    memo: ProcessMemo[int] = ProcessMemo(50)

    def fill(start):
        for n in range(start, start + 200):
            memo.put(n, n)
            memo.get(n - 1)

    threads = [threading.Thread(target=fill, args=(i * 1000,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(memo) == 50
