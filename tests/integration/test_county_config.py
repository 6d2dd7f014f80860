"""Configuration flows one way, county → clinics: published with `cunyi-county config`, signed by
the county's key, applied by the clinics of its scope when they sync, read-only there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.county import main as county_main
from app.core.errors import ValidationError
from app.server import db
from app.server.config import CountyConfig
from app.server.store import Store
from app.storage.config_items import read_config_file
from app.storage.policies import shipped_dir
from app.storage.workspace import Workspace
from app.sync import session
from app.sync.client import HttpCounty
from app.sync.config import ConfigSignatureError
from app.sync.enrol import enrol
from app.sync.identity import hello_payload, new_key_pair, sign
from app.sync.protocol import ConfigPull, Hello, Knock
from tests.conftest import VILLAGE
from tests.integration.test_http_sync import server  # noqa: F401  (the real `cunyi-county serve`)

NEIGHBOUR = VILLAGE[:9] + "202"          # another village of the same township
TOWNSHIP = VILLAGE[:9] + "000"
COUNTY = VILLAGE[:6] + "000000"

SETTINGS = "followup_sbp_uncontrolled = 150\n[exam]\nreturn_days = 10\n"
PACKAGE = {"code": "XGY", "name": "县高血压包", "tier": "个性化包", "price": "60.00",
           "split": {"医保基金": "40.00", "财政补助": "20.00"},
           "services": [{"name": "血压测量", "per_year": 4}], "conditions": {"diagnoses": ["高血压"]}}


def _pack_text() -> str:
    text = (shipped_dir() / "example-gansu-style.toml").read_text(encoding="utf-8")
    return text.replace("示例县丙（甘肃式）", "测试县").replace("example = true", "example = false")


def _clinic(tmp_path: Path, village: str, store: Store) -> Workspace:
    ws = Workspace.create(tmp_path / f"{village}.sqlite3", clinic_name=f"{village}卫生室",
                          division_code=village, division_name=f"村{village[-3:]}")
    ws.users.add_first("doctor", "医生", "township_admin", "Secret-pass-1")
    enrol(ws, store, store.issue_code(village))
    return ws


@pytest.fixture
def store(county_url: str) -> Iterator[Store]:
    conn = db.connect(county_url, autocommit=True)
    yield Store(conn)
    conn.close()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {"settings": tmp_path / "rules.toml", "package": tmp_path / "packages.json",
           "pack": tmp_path / "policy.toml"}
    out["settings"].write_text(SETTINGS, encoding="utf-8")
    out["package"].write_text(json.dumps(PACKAGE, ensure_ascii=False), encoding="utf-8")
    out["pack"].write_text(_pack_text(), encoding="utf-8")
    return out


def _publish(store: Store, path: Path, scope: str) -> list[int]:
    return [i.id for i in CountyConfig(store).publish(read_config_file(path), scope)]


def test_each_clinic_gets_the_items_of_its_own_scope_and_cannot_change_them(tmp_path, store, files) -> None:
    a, b = _clinic(tmp_path, VILLAGE, store), _clinic(tmp_path, NEIGHBOUR, store)
    _publish(store, files["settings"], COUNTY)
    _publish(store, files["pack"], TOWNSHIP)
    _publish(store, files["package"], VILLAGE)

    assert session.sync(a, store).config == 4 and session.sync(b, store).config == 3

    assert a.care.followup_settings().sbp_uncontrolled == 150 and a.care.exam_settings().return_days == 10
    assert a.contracts.packages()[0].code == "XGY"
    first = a.claims.shelf().files[0]
    assert (first.tier, first.pack.county, first.where) == (0, "测试县", "来自县里（同步）")
    assert {i.kind for i in a.county_config.items()} == {"setting", "service_package", "policy_pack"}
    # the other village has the county's and the township's items, never this village's package
    assert "XGY" not in [p.code for p in b.contracts.packages()]
    assert b.care.followup_settings().sbp_uncontrolled == 150
    assert {i.kind for i in b.county_config.items()} == {"setting", "policy_pack"}
    with pytest.raises(ValidationError, match="由县里统一下发"):
        a.settings.update(followup_sbp_uncontrolled="140")
    a.care.set_followup_settings(a.care.followup_settings())      # the same values: nothing refused
    assert a.settings.own("followup_sbp_uncontrolled") == ""


def test_an_item_for_another_village_is_never_sent(tmp_path, store, files) -> None:
    b = _clinic(tmp_path, NEIGHBOUR, store)
    _publish(store, files["package"], VILLAGE)
    _publish(store, files["settings"], VILLAGE[:9] + "303")       # a village of the same township
    me = b.sync.identity()
    assert me is not None
    challenge = store.knock(Knock(instance=me.instance))
    welcome = store.hello(Hello(instance=me.instance, session=challenge.session, schema_version=1,
                                app_version="test", signature=sign(
                                    me.private_key, hello_payload(me.instance, challenge.session,
                                                                  challenge.nonce)).hex()))
    reply = store.config(ConfigPull(session=welcome.session))
    assert reply.items == [] and reply.latest == 0


def test_a_tampered_item_refuses_the_whole_reply_and_nothing_is_applied(tmp_path, store, files) -> None:
    a = _clinic(tmp_path, VILLAGE, store)
    _publish(store, files["package"], VILLAGE)
    [bad, _] = _publish(store, files["settings"], COUNTY)
    store.conn.execute("UPDATE config_items SET body = replace(body, '150', '190') WHERE id = %s", (bad,))
    with pytest.raises(ConfigSignatureError, match=r"签名不对.*一项也没有采用"):
        session.sync(a, store)
    assert a.county_config.items() == [] and a.county_config.after() == 0
    assert a.care.followup_settings().sbp_uncontrolled == 140
    assert a.sync.unsynced() == 0                 # the records' sync itself went through


def test_items_signed_by_another_key_are_refused(tmp_path, store, files) -> None:
    a = _clinic(tmp_path, VILLAGE, store)
    _publish(store, files["package"], VILLAGE)
    stranger = new_key_pair()
    store.conn.execute("UPDATE county_identity SET private_key = %s, public_key = %s",
                       (stranger.private, stranger.public))
    _publish(store, files["settings"], COUNTY)      # signed by a key the clinic never enrolled with
    with pytest.raises(ConfigSignatureError):
        session.sync(a, store)
    assert a.county_config.items() == []


def test_syncing_again_applies_nothing_twice(tmp_path, store, files) -> None:
    a = _clinic(tmp_path, VILLAGE, store)
    _publish(store, files["settings"], COUNTY)
    assert session.sync(a, store).config == 2
    version = a.county_config.after()
    assert version > 0
    assert session.sync(a, store).config == 0
    items = [p.item for p in CountyConfig(store).list()]
    again = a.county_config.apply(items, scope=VILLAGE)       # the same reply, once more
    assert (again.changed, again.ignored) == (0, 2) and a.county_config.after() == version
    audits = a.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'county_config'").fetchone()[0]
    assert audits == 1


def test_a_withdrawn_item_gives_the_clinic_its_own_value_back(tmp_path, store, files) -> None:
    a = _clinic(tmp_path, VILLAGE, store)
    a.settings.update(followup_sbp_uncontrolled="145")
    [sbp, _] = _publish(store, files["settings"], COUNTY)
    [package] = _publish(store, files["package"], VILLAGE)
    session.sync(a, store)
    assert a.settings.get("followup_sbp_uncontrolled") == "150"
    CountyConfig(store).withdraw(sbp)
    CountyConfig(store).withdraw(package)
    assert session.sync(a, store).config == 2
    assert a.settings.get("followup_sbp_uncontrolled") == "145"
    assert "XGY" not in [p.code for p in a.contracts.packages()]
    assert [i.key for i in a.county_config.items()] == ["exam_return_days"]
    with pytest.raises(ValidationError, match="已经撤回"):
        CountyConfig(store).withdraw(sbp)


def test_a_nearer_scope_wins_over_the_county(tmp_path, store) -> None:
    a = _clinic(tmp_path, VILLAGE, store)
    rules = tmp_path / "rules.json"
    rules.write_text('{"tasks_window_days": 10}', encoding="utf-8")
    _publish(store, rules, VILLAGE)
    rules.write_text('{"tasks_window_days": 20}', encoding="utf-8")
    _publish(store, rules, COUNTY)
    session.sync(a, store)
    assert a.care.task_settings().window_days == 10


def test_a_clinic_applies_the_county_configuration_over_http(tmp_path, store, files, server) -> None:  # noqa: F811
    a = Workspace.create(tmp_path / "a.sqlite3", clinic_name="红旗村卫生室", division_code=VILLAGE,
                         division_name="红旗村")
    a.users.add_first("doctor", "医生", "township_admin", "Secret-pass-1")
    with HttpCounty(server) as county:
        enrol(a, county, store.issue_code(VILLAGE), server_url=server)
        _publish(store, files["package"], VILLAGE)
        assert session.sync(a, county).config == 1
        assert a.contracts.packages()[0].code == "XGY"
        [sbp, _] = _publish(store, files["settings"], COUNTY)
        store.conn.execute("UPDATE config_items SET scope = %s WHERE id = %s", (VILLAGE, sbp))
        with pytest.raises(ConfigSignatureError):      # the scope changed after it was signed
            session.sync(a, county)
        assert [i.kind for i in a.county_config.items()] == ["service_package"]


def test_the_command_line_publishes_lists_and_withdraws(county_url, files, capsys) -> None:
    db_args = ["--database", county_url]
    assert county_main(["config", "publish", *db_args, str(files["package"]), "--scope", VILLAGE,
                        "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert (item["kind"], item["key"], item["scope"]) == ("service_package", "XGY", VILLAGE)
    assert county_main(["config", "publish", *db_args, str(files["settings"]), "--scope", COUNTY]) == 0
    assert "已发布" in capsys.readouterr().out
    assert county_main(["config", "withdraw", *db_args, str(item["id"])]) == 0
    capsys.readouterr()
    assert county_main(["config", "list", *db_args, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(i["key"], i["withdrawn"], i["current"]) for i in listed] == [
        ("followup_sbp_uncontrolled", False, True), ("exam_return_days", False, True),
        ("XGY", True, False)]
    assert listed[2]["body"]["package"]["price"] == "60.00"
    assert county_main(["config", "list", *db_args]) == 0
    assert "已撤回" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "text", "message"), [
    ("rules.toml", "followup_sbp_uncontroled = 150\n", "不认识的设置项 followup_sbp_uncontroled（是否应为 followup_sbp_uncontrolled？）"),
    ("rules.toml", "followup_sbp_uncontrolled = 200\n", "危急血压阈值应高于控制不满意阈值"),
    ("packages.json", '{"code": "X", "name": "包", "tier": "基础包", "price": "10.00", "services": []}',
     "没有服务内容"),
    ("policy.toml", "[pack]\nname = 1\n", "policy.toml"),
    ("rules.yaml", "a: 1\n", "应为 .toml 或 .json"),
])
def test_a_file_the_clinic_would_refuse_is_refused_in_one_line(county_url, tmp_path, capsys, name, text,
                                                               message) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert county_main(["config", "publish", "--database", county_url, str(path), "--scope", COUNTY]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1 and message in err, err
    with db.connect(county_url) as conn:
        assert conn.execute("SELECT count(*) FROM config_items").fetchone()[0] == 0
