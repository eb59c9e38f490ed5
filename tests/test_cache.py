"""The disk cache of slow reference indexes: used when its inputs are the same, computed again when
any changes or the file is damaged, passed over when it cannot be written."""

from __future__ import annotations

from partnerkg.reference import cache, countries, geography


def test_a_cached_value_is_reused_until_an_input_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERKG_CACHE", str(tmp_path / "cache"))
    calls = []

    def compute():
        calls.append(1)
        return {"allemagne": "DE"}

    assert cache.cached("names", [b"code v1", "babel 2.16"], compute) == {"allemagne": "DE"}
    assert cache.cached("names", [b"code v1", "babel 2.16"], compute) == {"allemagne": "DE"}
    assert len(calls) == 1
    cache.cached("names", [b"code v2", "babel 2.16"], compute)  # the code changed
    assert len(calls) == 2
    for path in (tmp_path / "cache").glob("names-*"):
        path.write_bytes(b"not a pickle")
    assert cache.cached("names", [b"code v1", "babel 2.16"], compute) == {"allemagne": "DE"}
    assert len(calls) == 3


def test_an_unwritable_cache_is_passed_over(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("PARTNERKG_CACHE", str(tmp_path / "file" / "cache"))  # cannot be a folder
    assert cache.cached("names", ["x"], lambda: 42) == 42


def test_the_country_index_from_the_cache_is_the_computed_one(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERKG_CACHE", str(tmp_path))
    countries._index.cache_clear()
    try:
        first = countries._index()
        countries._index.cache_clear()
        assert countries._index() == first == countries._compute_index()
        assert first["allemagne"] == "DE" and first["holanda"] == "NL"
    finally:
        countries._index.cache_clear()


def test_the_gazetteers_from_the_cache_are_the_computed_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERKG_CACHE", str(tmp_path))
    geography._gazetteers.cache_clear()
    try:
        first = geography._gazetteers()
        assert list(tmp_path.glob("gazetteers-*.pickle"))
        geography._gazetteers.cache_clear()
        assert geography._gazetteers() == first
        assert first["SI"] == geography._make_gazetteer("SI") and first["SI"]["ljubljana"]
        assert geography.city(["dresde"], "DE") == geography.city(["dresden"], "DE") != frozenset()
    finally:
        geography._gazetteers.cache_clear()
