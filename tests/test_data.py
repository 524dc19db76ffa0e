"""Data access (nuemcore.data): the shared data are found, verified against the SHA-256 manifest,
and every failure names the file.  Tests that move the data root use ``NUEM_DATA`` via monkeypatch
and clear the module's lru caches (fixture ``fresh_data_caches`` in conftest.py)."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from nuemcore import data
from nuemcore.errors import DataFileError

SAMPLE = "solar_ssm/peanuts/pp_shape.csv"


def _sha256(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def real_root(fresh_data_caches, monkeypatch):
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    try:
        return data.root()
    except DataFileError as exc:  # pragma: no cover - the checkout always has ../shared/data
        pytest.fail(f"shared data not found: {exc}")


def test_manifest_is_sane():
    manifest = json.loads(data._MANIFEST.read_text())
    assert SAMPLE in manifest and len(manifest) > 100
    for rel, digest in manifest.items():
        assert not rel.startswith("/") and ".." not in rel.split("/")
        assert len(digest) == 64 and int(digest, 16) >= 0


def test_sample_file_verifies(real_root):
    p = data.path(SAMPLE)
    assert p == real_root / SAMPLE and p.is_file()
    assert _sha256(p) == json.loads(data._MANIFEST.read_text())[SAMPLE]


def test_every_manifest_file_present_and_verified(real_root):
    """The whole shared data set matches the manifest (what the book will read)."""
    manifest = json.loads(data._MANIFEST.read_text())
    bad = [rel for rel, digest in manifest.items()
           if not (real_root / rel).is_file() or _sha256(real_root / rel) != digest]
    assert bad == []


def test_nuem_data_env_var_is_honoured(fresh_data_caches, monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.root() == tmp_path


def test_missing_file_names_its_path(fresh_data_caches, monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(DataFileError) as info:
        data.path(SAMPLE)
    assert str(tmp_path / SAMPLE) in str(info.value)
    assert isinstance(info.value, FileNotFoundError)


def test_modified_file_fails_checksum(fresh_data_caches, real_root, monkeypatch, tmp_path):
    copy = tmp_path / SAMPLE
    copy.parent.mkdir(parents=True)
    shutil.copyfile(real_root / SAMPLE, copy)
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.path(SAMPLE) == copy  # an exact copy verifies
    data.path.cache_clear()
    copy.write_bytes(copy.read_bytes() + b"\n# edited\n")
    with pytest.raises(DataFileError, match="checksum") as info:
        data.path(SAMPLE)
    assert str(copy) in str(info.value)
    assert data.path(SAMPLE, verify=False) == copy


def test_file_outside_manifest_is_refused(fresh_data_caches, monkeypatch, tmp_path):
    extra = tmp_path / "not_in_manifest.csv"
    extra.write_text("1,2\n")
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(DataFileError, match="not_in_manifest.csv"):
        data.path("not_in_manifest.csv")
