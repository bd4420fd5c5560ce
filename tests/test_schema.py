"""The schema: derived DDL for each backend, applied idempotently, versioned."""

from __future__ import annotations

import pytest

from legos.errors import SchemaVersionError
from legos.store import open_store, schema as graph_schema


def test_schema_declares_the_domain_model():
    schema = graph_schema.load()
    assert {"Project", "User", "Asset", "Version", "Representation", "Revision", "Tag",
            "Change"} <= set(schema.nodes)
    assert {"VERSION_OF", "DEPENDS_ON", "CONTAINS", "HAS_REPRESENTATION", "SUBMITS",
            "TAGGED"} <= set(schema.relationships)


def test_each_backend_gets_ddl_for_every_key():
    schema = graph_schema.load()
    ladybug = graph_schema.ddl(schema, "ladybug")
    neo4j = graph_schema.ddl(schema, "neo4j")
    assert any("PRIMARY KEY (uid)" in s and "Version(" in s for s in ladybug)
    assert ("CREATE CONSTRAINT version_key_unique IF NOT EXISTS FOR (n:Version) "
            "REQUIRE n.key IS UNIQUE") in neo4j
    assert ("CREATE CONSTRAINT asset_path_unique IF NOT EXISTS FOR (n:Asset) "
            "REQUIRE n.path IS UNIQUE") in neo4j


def test_schema_is_applied_idempotently_and_recorded(store_location):
    with open_store(store_location, create=True) as store:
        store.ensure_schema()
        store.set_meta("probe", "kept")
        store.ensure_schema()  # a second application neither fails nor touches the data
        assert store.get_meta("probe") == "kept"
        assert store.get_meta("schema_version") == str(graph_schema.load().version)


def test_a_store_from_a_newer_legos_is_refused(store_location):
    with open_store(store_location, create=True) as store:
        store.set_meta("schema_version", "999")
    with pytest.raises(SchemaVersionError, match=r"newer than this legos.*upgrade legos"):
        open_store(store_location)


def test_embedded_store_survives_reopen(tmp_path, make_file):
    import legos

    with legos.open(str(tmp_path / "store"), create=True) as lg:
        lg.configure(root=tmp_path / "root")
        lg.publish("demo", "tex/a", kind="TextureAsset", files=[make_file("a.png")])
    with legos.open(str(tmp_path / "store")) as lg:
        assert lg.show("legos:/demo/tex/a").representations[0].path.startswith(str(tmp_path / "root"))


def test_an_upgrade_without_a_step_for_some_version_is_an_error(store_location, monkeypatch):
    from legos.store import migrations

    with open_store(store_location, create=True) as store:
        store.set_meta("schema_version", "1")
    monkeypatch.setattr(migrations, "STEPS", {})
    with pytest.raises(SchemaVersionError, match="no upgrade step from version 1"):
        open_store(store_location)
    with open_store(store_location, schema=False) as store:  # and nothing was changed
        assert store.get_meta("schema_version") == "1"
